using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;

namespace PartnerAccounts.Application.Profiles.LegalBusiness;


public sealed record LegalBusinessProfileDto(string CompanyName, AddressDto Address, ContactDto PrimaryContact, ContactDto CompanyApprover)
{
    public static LegalBusinessProfileDto From(LegalBusinessProfile p) =>
        new(p.CompanyName, AddressDto.From(p.Address), ContactDto.From(p.PrimaryContact), ContactDto.From(p.CompanyApprover));
}
