using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Verification;


public sealed record VerificationDto(VerificationStatus Status, string? Reason, DateTime UpdatedAt)
{
    public static VerificationDto From(Account a) => new(a.VerificationStatus, a.VerificationReason, a.VerificationUpdatedAt);
}
