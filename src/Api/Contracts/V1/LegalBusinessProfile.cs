using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

public sealed record LegalBusinessProfileRequest
{
    [Required, MaxLength(FieldLimits.CompanyName)]
    public string? CompanyName { get; init; }

    [Required]
    public Address? Address { get; init; }

    [Required]
    public Contact? PrimaryContact { get; init; }

    [Required]
    public Contact? CompanyApprover { get; init; }
}

public sealed record LegalBusinessProfileResponse(string CompanyName, Address Address, Contact PrimaryContact, Contact CompanyApprover);
