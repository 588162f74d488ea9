using System.Reflection;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Behaviours;

/// <summary>Builds a failed <typeparamref name="TResponse"/> (a <see cref="Result{T}"/>) from an <see cref="Error"/>, so behaviours can short-circuit any use case.</summary>
internal static class Failure<TResponse>
{
    private static readonly Func<Error, TResponse>? Factory = CreateFactory();

    public static bool IsSupported => Factory is not null;

    public static TResponse From(Error error) =>
        Factory is null ? throw new InvalidOperationException($"{typeof(TResponse)} is not a Result<T>.") : Factory(error);

    private static Func<Error, TResponse>? CreateFactory()
    {
        var type = typeof(TResponse);
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Result<>))
        {
            return null;
        }

        var method = type.GetMethod(nameof(Result<>.Failure), BindingFlags.Public | BindingFlags.Static)!;
        return method.CreateDelegate<Func<Error, TResponse>>();
    }
}
