namespace PartnerAccounts.Api.Contracts;

/// <summary>
/// A secret that an idempotent replay leaves out once it is no longer valid (the replay then says
/// <c>Idempotent-Secret-Withheld: true</c>, see IdempotencyMiddleware): the OpenAPI document does not list it as required, and
/// the operations answering with it document that header.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class WithheldOnReplayAttribute : Attribute
{
    /// <summary>What the OpenAPI document says about such a property.</summary>
    public const string Description =
        "Left out of an idempotent replay (`Idempotent-Replayed: true`) once the secret is no longer valid; that replay says `Idempotent-Secret-Withheld: true`.";

    /// <summary>Whether a response of this type may come without one of its secrets.</summary>
    public static bool AnyOn(Type? type) =>
        type is not null &&
        (type.GetConstructors().SelectMany(c => c.GetParameters()).Any(p => p.IsDefined(typeof(WithheldOnReplayAttribute), inherit: false)) ||
         type.GetProperties().Any(p => p.IsDefined(typeof(WithheldOnReplayAttribute), inherit: false)));
}
