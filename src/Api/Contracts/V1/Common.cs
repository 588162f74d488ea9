using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>A page of a collection; <c>continuationToken</c> is null on the last page.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? ContinuationToken);

public sealed record Address
{
    [Required, MaxLength(FieldLimits.AddressLine)]
    public string? AddressLine1 { get; init; }

    [MaxLength(FieldLimits.AddressLine)]
    public string? AddressLine2 { get; init; }

    [Required, MaxLength(FieldLimits.City)]
    public string? City { get; init; }

    [MaxLength(FieldLimits.State)]
    public string? State { get; init; }

    [Required, MaxLength(FieldLimits.PostalCode)]
    public string? PostalCode { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code, upper case.</summary>
    [Required, StringLength(FieldLimits.CountryCode, MinimumLength = FieldLimits.CountryCode), RegularExpression("^[A-Z]{2}$")]
    public string? Country { get; init; }
}

public sealed record Contact
{
    [Required, MaxLength(FieldLimits.PersonName)]
    public string? FirstName { get; init; }

    [Required, MaxLength(FieldLimits.PersonName)]
    public string? LastName { get; init; }

    [Required, MaxLength(FieldLimits.Email), EmailAddress]
    public string? Email { get; init; }

    [MaxLength(FieldLimits.Phone)]
    public string? PhoneNumber { get; init; }
}
