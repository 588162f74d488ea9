using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

/// <summary>A tax exemption certificate to add.</summary>
public sealed record TaxExemptionRequest
{
    /// <summary>ISO 3166-1 alpha-2 country code, upper case, of the jurisdiction that issued the certificate.</summary>
    [Required, StringLength(FieldLimits.CountryCode, MinimumLength = FieldLimits.CountryCode), RegularExpression("^[A-Z]{2}$")]
    public string? Country { get; init; }

    [Required, MaxLength(FieldLimits.CertificateId)]
    public string? CertificateId { get; init; }

    /// <summary>The last day the certificate is valid (yyyy-MM-dd); must be after today (UTC).</summary>
    [Required]
    public DateOnly? ExpiresOn { get; init; }
}

public sealed record TaxExemptionResponse(Guid Id, string Country, string CertificateId, DateOnly ExpiresOn, DateTime CreatedAt);
