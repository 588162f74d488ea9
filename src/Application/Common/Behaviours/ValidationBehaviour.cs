using FluentValidation;
using Mediator;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Behaviours;

/// <summary>
/// The one validation step: every message with validators is checked before its handler runs; failures are 400
/// <c>validation_failed</c> results. A conditional write's precondition comes before its content: an invalid body with a missing
/// or stale If-Match (or for a missing resource) is answered 428, 412 (or 404) instead.
/// </summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators, Preconditions.Preconditions preconditions)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators as IValidator<TMessage>[] ?? [.. validators];

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length == 0 || !Failure<TResponse>.IsSupported)
        {
            return await next(message, cancellationToken);
        }

        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in _validators)
        {
            var result = await validator.ValidateAsync(message, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next(message, cancellationToken);
        }

        if (message is Preconditions.IConditionalRequest conditional && await preconditions.CheckAsync(conditional, cancellationToken) is { } precondition)
        {
            return Failure<TResponse>.From(precondition);
        }

        var errors = failures
            .GroupBy(f => ToJsonPath(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        return Failure<TResponse>.From(Error.Validation("validation_failed", "One or more fields are invalid.", errors));
    }

    /// <summary>"PrimaryContact.Email" -> "primaryContact.email", "Industries[0]" -> "industries[0]": the names the client sent.</summary>
    private static string ToJsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
