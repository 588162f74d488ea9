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

namespace PartnerAccounts.Application.Profiles.Support;


public sealed record SupportProfileDto(string? Email, string? PhoneNumber, string? Website)
{
    public static SupportProfileDto From(SupportProfile p) => new(p.Email, p.PhoneNumber, p.Website);
}
