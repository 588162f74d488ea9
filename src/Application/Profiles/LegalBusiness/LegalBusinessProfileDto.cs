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

namespace PartnerAccounts.Application.Profiles.LegalBusiness;


public sealed record LegalBusinessProfileDto(string CompanyName, AddressDto Address, ContactDto PrimaryContact, ContactDto CompanyApprover)
{
    public static LegalBusinessProfileDto From(LegalBusinessProfile p) =>
        new(p.CompanyName, AddressDto.From(p.Address), ContactDto.From(p.PrimaryContact), ContactDto.From(p.CompanyApprover));
}
