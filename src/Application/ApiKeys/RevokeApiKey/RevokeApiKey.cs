using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.ApiKeys.RevokeApiKey;

/// <summary>
/// Revokes (deletes) a key. It stops working at once: saving it invalidates the key cache of this node, and the other nodes
/// read the change from the cache change feed within a second (docs/adr/0005-mpn-verification-caching.md).
/// </summary>
public sealed record RevokeApiKeyCommand(Guid AccountId, Guid KeyId) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.ApiKeysManage;
}

public sealed class RevokeApiKeyHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<RevokeApiKeyCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == command.KeyId && k.AccountId == command.AccountId, cancellationToken);
        if (key is null)
        {
            return ApiKeyRules.NotFound;
        }

        db.ApiKeys.Remove(key);
        audit.Record(command.AccountId, "revoked", ApiKeyRules.AuditResource, key.Id.ToString(), ApiKeyDto.From(key), null);
        // A revocation racing another one for the same key finds nothing left to delete: the key is gone either way.
        var saved = await db.SaveAsync(cancellationToken);
        return saved.IsSuccess || saved.Error != ProfileErrors.EtagMismatch ? saved : ApiKeyRules.NotFound;
    }
}
