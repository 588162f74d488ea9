using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Auditing;
using PartnerAccounts.Application.Common.Behaviours;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.TaxExemptions.RemoveTaxExemption;

/// <summary>
/// Removes a tax exemption. Exemptions cannot be changed once added (no version, no ETag), so a delete cannot overwrite
/// anyone's edit and needs no If-Match.
/// </summary>
public sealed record RemoveTaxExemptionCommand(Guid AccountId, Guid ExemptionId) : ICommand<Result<Success>>, IAccountRequest
{
    public Permission RequiredPermission => Permission.TaxExemptionsManage;
}

public sealed class RemoveTaxExemptionHandler(IAppDbContext db, AuditTrail audit) : ICommandHandler<RemoveTaxExemptionCommand, Result<Success>>
{
    public async ValueTask<Result<Success>> Handle(RemoveTaxExemptionCommand command, CancellationToken cancellationToken)
    {
        var exemption = await db.TaxExemptions.FirstOrDefaultAsync(t => t.AccountId == command.AccountId && t.Id == command.ExemptionId, cancellationToken);
        if (exemption is null)
        {
            return ProfileErrors.NotFound;
        }

        db.TaxExemptions.Remove(exemption);
        audit.Record(command.AccountId, "removed", "tax-exemptions", exemption.Id.ToString(), TaxExemptionDto.From(exemption), null);
        var saved = await db.SaveAsync(cancellationToken);

        // A concurrent delete won the race: for this caller the exemption is simply gone.
        return saved.IsSuccess || saved.Error!.Kind != ErrorKind.PreconditionFailed ? saved : ProfileErrors.NotFound;
    }
}
