using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>How customers reach the partner's support: at least one of email, phone number and website.</summary>
public sealed record SupportProfileRequest
{
    [MaxLength(FieldLimits.Email), EmailAddress]
    public string? Email { get; init; }

    [MaxLength(FieldLimits.Phone)]
    public string? PhoneNumber { get; init; }

    /// <summary>An absolute http or https URL.</summary>
    [MaxLength(FieldLimits.Url), Url]
    public string? Website { get; init; }
}

public sealed record SupportProfileResponse(string? Email, string? PhoneNumber, string? Website);
