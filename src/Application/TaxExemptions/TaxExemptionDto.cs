using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.TaxExemptions;


public sealed record TaxExemptionDto(Guid Id, string Country, string CertificateId, DateOnly ExpiresOn, DateTime CreatedAt)
{
    public static TaxExemptionDto From(TaxExemption t) => new(t.Id, t.Country, t.CertificateId, t.ExpiresOn, t.CreatedAt);
}

public static class TaxExemptionErrors
{
    public static readonly Error Exists = Error.Conflict("tax_exemption_exists", "The account already has a tax exemption with this country and certificate id.");
}
