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

public sealed record GetLegalBusinessProfileQuery(Guid AccountId) : IQuery<Result<Versioned<LegalBusinessProfileDto>>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ProfileRead;
}

public sealed class GetLegalBusinessProfileHandler(IAppDbContext db) : IQueryHandler<GetLegalBusinessProfileQuery, Result<Versioned<LegalBusinessProfileDto>>>
{
    public async ValueTask<Result<Versioned<LegalBusinessProfileDto>>> Handle(GetLegalBusinessProfileQuery query, CancellationToken cancellationToken)
    {
        return await db.LegalBusinessProfiles.ReadAsync(query.AccountId, LegalBusinessProfileDto.From, cancellationToken);
    }
}

/// <summary>Replaces the legal business profile; a new legal name or address puts verification back to pending.</summary>
public sealed record ReplaceLegalBusinessProfileCommand(
    Guid AccountId,
    IfMatch IfMatch,
    string? CompanyName,
    AddressInput? Address,
    ContactInput? PrimaryContact,
    ContactInput? CompanyApprover) : ICommand<Result<Versioned<LegalBusinessProfileDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.LegalBusinessProfile;

    public Guid ResourceId => Guid.Empty;

    public Permission RequiredPermission => Permission.LegalProfileWrite;
}

public sealed class ReplaceLegalBusinessProfileCommandValidator : AbstractValidator<ReplaceLegalBusinessProfileCommand>
{
    public ReplaceLegalBusinessProfileCommandValidator()
    {
        RuleFor(c => c.CompanyName).NotEmpty().MaximumLength(FieldLimits.CompanyName);
        RuleFor(c => c.Address).NotNull().SetValidator(new AddressInputValidator()!);
        RuleFor(c => c.PrimaryContact).NotNull().SetValidator(new ContactInputValidator()!);
        RuleFor(c => c.CompanyApprover).NotNull().SetValidator(new ContactInputValidator()!);
    }
}

public sealed class ReplaceLegalBusinessProfileHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<ReplaceLegalBusinessProfileCommand, Result<Versioned<LegalBusinessProfileDto>>>
{
    public async ValueTask<Result<Versioned<LegalBusinessProfileDto>>> Handle(ReplaceLegalBusinessProfileCommand command, CancellationToken cancellationToken)
    {
        var loaded = await db.LegalBusinessProfiles.ForWriteAsync(command.AccountId, command.IfMatch, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var profile = loaded.Value;

        var before = LegalBusinessProfileDto.From(profile);
        var now = clock.UtcNow;
        var identityChanged = profile.Replace(
            command.CompanyName!.Trim(), command.Address!.ToDomain(), command.PrimaryContact!.ToDomain(), command.CompanyApprover!.ToDomain(), now);
        var after = LegalBusinessProfileDto.From(profile);
        audit.Record(command.AccountId, "updated", "profiles/legalbusiness", null, before, after);

        if (identityChanged)
        {
            var account = await db.Accounts.FirstAsync(a => a.Id == command.AccountId, cancellationToken);
            var previous = account.VerificationStatus;
            account.RestartVerification(now);
            if (previous != account.VerificationStatus)
            {
                audit.Record(command.AccountId, "verificationRestarted", "verification", null, new { status = previous }, new { status = account.VerificationStatus });
            }
        }

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<LegalBusinessProfileDto>(after, profile.Version) : saved.Error!;
    }
}
