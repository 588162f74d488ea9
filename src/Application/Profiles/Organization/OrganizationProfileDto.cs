using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;

namespace PartnerAccounts.Application.Profiles.Organization;


public sealed record OrganizationProfileDto(string CompanyName, string Email, string Language, string Culture, AddressDto Address)
{
    public static OrganizationProfileDto From(OrganizationProfile p) =>
        new(p.CompanyName, p.Email, p.Language, p.Culture, AddressDto.From(p.Address));
}
