using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Accounts;
using PartnerAccounts.Application.Common.Abstractions;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class AccountStatusChanges : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var accounts = v1.MapGroup("/accounts/{accountId}").WithTags("Accounts");
        accounts.MapPost("/status-changes", ChangeAccountStatus).WithName(nameof(ChangeAccountStatus))
            .WithSummary("Suspend, reactivate or close the account (operators: any status; Global admins: close, confirming the legal name)")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415, 422);
    }

    /// <summary>Operators take the operator path even when they are also members; everyone else may at most close their account.</summary>
    public static async Task<Results<Ok<AccountStatusResponse>, ProblemHttpResult>> ChangeAccountStatus(
        Guid accountId, AccountStatusChangeRequest request, ICurrentUser user, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = user.IsOperator
            ? await mediator.Send(request.ToOperatorCommand(accountId), cancellationToken)
            : await mediator.Send(request.ToOwnerCommand(accountId), cancellationToken);
        return result.Ok(http, AccountStatusMapper.ToResponse);
    }
}
