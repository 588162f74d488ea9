using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

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
