using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Audit.ListAuditRecords;
using PartnerAccounts.Application.Common.Paging;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class AuditRecords : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var audit = v1.MapGroup("/accounts/{accountId}/auditrecords").WithTags("Audit");
        audit.MapGet("/", ListAuditRecords).WithName(nameof(ListAuditRecords))
            .WithSummary("Every change to the account, newest first; startDate is inclusive, a date-time endDate exclusive, a date-only endDate includes that whole day (ISO 8601, UTC)")
            .WithDescription(
                "`startDate` and `endDate` are ISO 8601 dates (`2024-05-31`) or date-times (`2024-05-31T12:00:00Z`); a date-time without " +
                "an offset is UTC. Records at or after `startDate` are included. A date-time `endDate` is exclusive; a date `endDate` " +
                "includes that whole day, so `startDate=2024-05-01&endDate=2024-05-31` is all of May. An `endDate` that is not after " +
                "`startDate` is 400 `validation_failed`. A continuation token is bound to the account and the dates it was issued for.")
            .ProducesProblems(400, 401, 403, 404);
    }

    public static async Task<Results<Ok<PageResponse<AuditRecordResponse>>, ProblemHttpResult>> ListAuditRecords(
        Guid accountId,
        HttpContext http,
        IMediator mediator,
        CancellationToken cancellationToken,
        string? startDate = null,
        string? endDate = null,
        int? limit = null,
        string? continuationToken = null) =>
        (await mediator.Send(
            new ListAuditRecordsQuery(accountId, startDate, endDate, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)),
            cancellationToken))
            .Paged(http, AuditMapper.ToResponse);
}
