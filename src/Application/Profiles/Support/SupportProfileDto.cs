using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Profiles.Support;


public sealed record SupportProfileDto(string? Email, string? PhoneNumber, string? Website)
{
    public static SupportProfileDto From(SupportProfile p) => new(p.Email, p.PhoneNumber, p.Website);
}
