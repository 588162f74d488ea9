using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Mediator;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Persistence;
using PartnerAccounts.Application.Common.Secrets;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.ApiKeys.CreateApiKey;

/// <summary>Creates a key for the MPN ID verification endpoint; the secret is in this result only, the database keeps its hash.</summary>
public sealed record CreateApiKeyCommand(Guid AccountId, string? Name) : ICommand<Result<CreatedApiKeyDto>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ApiKeysManage;
}

public sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator() => RuleFor(c => c.Name).NotEmpty().MaximumLength(FieldLimits.ApiKeyName);
}

public sealed class CreateApiKeyHandler(IAppDbContext db, IClock clock, ICurrentUser user, AuditTrail audit, IssuedSecrets secrets)
    : ICommandHandler<CreateApiKeyCommand, Result<CreatedApiKeyDto>>
{
    public async ValueTask<Result<CreatedApiKeyDto>> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        // The public prefix and the account's slot are unique: two keys drawing the same 40 random bits, or two creations
        // taking the same free slot at once, lose only the unique-key race and retry against what is stored now. A creation
        // loses at most once per slot taken meanwhile, so it may retry up to the limit (then it finds the limit reached).
        return await db.SaveWithRetriesAsync(
            ct => StageAsync(command, ct), SaveRetries.UniqueConflict, cancellationToken, attempts: ApiKey.MaxActivePerAccount + 1);
    }

    private async Task<Result<CreatedApiKeyDto>> StageAsync(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var taken = await db.ApiKeys.Where(k => k.AccountId == command.AccountId).Select(k => k.Slot).ToListAsync(cancellationToken);
        if (AccountSlots.PickFree(taken, ApiKey.MaxActivePerAccount) is not { } slot)
        {
            return ApiKeyRules.LimitReached;
        }

        var generated = ApiKeySecret.Generate();
        var key = ApiKey.Create(Ids.NewVersion7(), command.AccountId, slot, command.Name!.Trim(), generated, user.Email ?? "system", clock.UtcNow);
        db.ApiKeys.Add(key);
        var dto = ApiKeyDto.From(key);
        audit.Record(command.AccountId, "created", ApiKeyRules.AuditResource, key.Id.ToString(), null, dto);
        secrets.Record(new IssuedSecret(SecretKind.ApiKey, key.Id));
        return new CreatedApiKeyDto(dto, generated.Secret);
    }
}
