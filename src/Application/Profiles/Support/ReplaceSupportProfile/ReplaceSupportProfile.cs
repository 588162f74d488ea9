using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Profiles.Support.ReplaceSupportProfile;

/// <summary>Replaces the support profile: how customers reach the partner's support. Blank channels are cleared; at least one must remain.</summary>
public sealed record ReplaceSupportProfileCommand(Guid AccountId, IfMatch IfMatch, string? Email, string? PhoneNumber, string? Website)
    : ICommand<Result<Versioned<SupportProfileDto>>>, IConditionalRequest
{
    public ConditionalResource Resource => ConditionalResource.SupportProfile;

    public Guid ResourceId => Guid.Empty;

    public Permission RequiredPermission => Permission.SupportProfileWrite;
}

public sealed class ReplaceSupportProfileCommandValidator : AbstractValidator<ReplaceSupportProfileCommand>
{
    private const string ChannelRequired = "Give at least one support channel: email, phoneNumber or website.";

    public ReplaceSupportProfileCommandValidator()
    {
        // The domain refuses a profile without channels too; checking here reports it together with every other field error.
        // Each channel is named, so a form can point at all three.
        RuleFor(c => c.Email).Must((command, _) => HasAnyChannel(command)).WithMessage(ChannelRequired);
        RuleFor(c => c.PhoneNumber).Must((command, _) => HasAnyChannel(command)).WithMessage(ChannelRequired);
        RuleFor(c => c.Website).Must((command, _) => HasAnyChannel(command)).WithMessage(ChannelRequired);

        // Values are stored trimmed, so the trimmed value is the one that must be valid.
        RuleFor(c => c.Email).Must(v => EmailAddress.IsValid(v!.Trim())).When(c => Present(c.Email))
            .WithMessage("'Email' must be a valid email address.");
        RuleFor(c => c.PhoneNumber).Must(v => PhoneNumber.IsValid(v!.Trim())).When(c => Present(c.PhoneNumber))
            .WithMessage("'Phone Number' must be a phone number of 5 to 15 digits, optionally starting with +.");
        RuleFor(c => c.Website).Must(v => WebUrl.IsValid(v!.Trim())).When(c => Present(c.Website))
            .WithMessage($"'Website' must be an absolute http or https URL of at most {FieldLimits.Url} characters.");
    }

    private static bool Present(string? value) => !string.IsNullOrWhiteSpace(value);

    private static bool HasAnyChannel(ReplaceSupportProfileCommand c) => Present(c.Email) || Present(c.PhoneNumber) || Present(c.Website);
}

public sealed class ReplaceSupportProfileHandler(IAppDbContext db, IClock clock, AuditTrail audit)
    : ICommandHandler<ReplaceSupportProfileCommand, Result<Versioned<SupportProfileDto>>>
{
    public async ValueTask<Result<Versioned<SupportProfileDto>>> Handle(ReplaceSupportProfileCommand command, CancellationToken cancellationToken)
    {
        var loaded = await db.ForWriteAsync<SupportProfile>(command.AccountId, command.IfMatch, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error!;
        }

        var profile = loaded.Value;

        var before = SupportProfileDto.From(profile);
        var replaced = profile.Replace(
            AddressInput.Blank(command.Email), AddressInput.Blank(command.PhoneNumber), AddressInput.Blank(command.Website), clock.UtcNow);
        if (!replaced.IsSuccess)
        {
            return replaced.Error!;
        }

        var after = SupportProfileDto.From(profile);
        audit.Record(command.AccountId, "updated", "profiles/support", null, before, after);

        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess ? new Versioned<SupportProfileDto>(after, profile.Version) : saved.Error!;
    }
}
