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

namespace PartnerAccounts.Application.Profiles.Organization;


public sealed record OrganizationProfileDto(string CompanyName, string Email, string Language, string Culture, AddressDto Address)
{
    public static OrganizationProfileDto From(OrganizationProfile p) =>
        new(p.CompanyName, p.Email, p.Language, p.Culture, AddressDto.From(p.Address));
}
