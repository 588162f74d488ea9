using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

public sealed record OrganizationProfileRequest
{
    /// <summary>The display company name, shown in the account picker.</summary>
    [Required, MaxLength(FieldLimits.CompanyName)]
    public string? CompanyName { get; init; }

    [Required, MaxLength(FieldLimits.Email), EmailAddress]
    public string? Email { get; init; }

    /// <summary>A language tag such as <c>en</c>.</summary>
    [Required, MaxLength(FieldLimits.Language)]
    public string? Language { get; init; }

    /// <summary>A culture name such as <c>en-US</c>.</summary>
    [Required, MaxLength(FieldLimits.Language)]
    public string? Culture { get; init; }

    [Required]
    public Address? Address { get; init; }
}

public sealed record OrganizationProfileResponse(string CompanyName, string Email, string Language, string Culture, Address Address);
