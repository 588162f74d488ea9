using PartnerAccounts.Domain.Accounts;

namespace PartnerAccounts.Application.Profiles.Business;


/// <summary>The marketing profile customers see.</summary>
public sealed record BusinessProfileDto(
    string? Description,
    string? Website,
    IReadOnlyList<string> Industries,
    IReadOnlyList<string> Products,
    IReadOnlyList<string> Services,
    string? LogoUrl)
{
    public static BusinessProfileDto From(BusinessProfile p) =>
        new(p.Description, p.Website, [.. p.Industries], [.. p.Products], [.. p.Services], p.LogoUrl);
}
