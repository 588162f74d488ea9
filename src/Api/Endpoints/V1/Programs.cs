using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Programs.GetAccountSettings;
using PartnerAccounts.Application.Programs.GetEnrollment;
using PartnerAccounts.Application.Programs.GetProgram;
using PartnerAccounts.Application.Programs.ListEnrollments;
using PartnerAccounts.Application.Programs.ListPrograms;
using PartnerAccounts.Application.Programs.WithdrawEnrollment;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class Programs : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var programs = v1.MapGroup("/programs").WithTags("Programs");
        programs.MapGet("/", ListPrograms).WithName(nameof(ListPrograms))
            .WithSummary("The program catalogue: each program's settings area, prerequisites, who may enroll and whether it allows role assignment")
            .ProducesProblems(401)
            .AnswersWithoutDatabase();
        programs.MapGet("/{programId}", GetProgram).WithName(nameof(GetProgram))
            .WithSummary("One program of the catalogue")
            .ProducesProblems(401, 404)
            .AnswersWithoutDatabase();

        var enrollments = v1.MapGroup("/accounts/{accountId}/enrollments").WithTags("Programs");
        enrollments.MapGet("/", ListEnrollments).WithName(nameof(ListEnrollments))
            .WithSummary("The account's enrollments, whatever their status, in catalogue order (paged)")
            .ProducesProblems(400, 401, 403, 404);
        enrollments.MapPost("/", Enroll).WithName(nameof(Enroll))
            .WithSummary(
                "Enroll the account in a program (status pending, for an operator to decide), or again after a withdrawal or rejection. " +
                "422 program_prerequisite_missing lists every missing prerequisite (errors.programId, missingPrerequisites); " +
                "409 already_enrolled when pending or active. Enrolling before the account is verified leaves its verification pending " +
                "(it started when the account was created); a rejected verification blocks the programs that need a verified account.")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415, 422);
        enrollments.MapGet("/{programId}", GetEnrollment).WithName(nameof(GetEnrollment))
            .WithSummary("The account's enrollment in a program: pending, active, rejected (with reason) or withdrawn")
            .ProducesProblems(400, 401, 403, 404);
        enrollments.MapDelete("/{programId}", WithdrawEnrollment).WithName(nameof(WithdrawEnrollment))
            .WithSummary(
                "Withdraw a pending or active enrollment (If-Match); returns it with status withdrawn. 409 invalid_enrollment_transition " +
                "otherwise, 409 program_has_dependents for MPN while programs that need it are pending or active")
            .ProducesProblems(400, 401, 403, 404, 409, 412, 428);
        enrollments.MapPost("/{programId}/decisions", DecideEnrollment).WithName(nameof(DecideEnrollment))
            .WithSummary("Platform operators: decide a pending enrollment (active, or rejected with a reason)")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415, 422);

        v1.MapGet("/accounts/{accountId}/settings", GetAccountSettings).WithTags("Accounts").WithName(nameof(GetAccountSettings))
            .WithSummary(
                "The account's settings areas (Partner or Developer, from its pending or active enrollments), the areas whose roles it can " +
                "assign (Partner always; Developer with a developer program that allows role assignment) and where its MPN ID is shown")
            .ProducesProblems(400, 401, 403, 404);
    }

    public static async Task<Ok<IReadOnlyList<ProgramResponse>>> ListPrograms(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ProgramResponse>>([.. (await mediator.Send(new ListProgramsQuery(), cancellationToken)).Select(ProgramsMapper.ToResponse)]);

    public static async Task<Results<Ok<ProgramResponse>, ProblemHttpResult>> GetProgram(
        string programId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetProgramQuery(programId), cancellationToken)).Ok(http, ProgramsMapper.ToResponse);

    public static async Task<Results<Ok<PageResponse<EnrollmentResponse>>, ProblemHttpResult>> ListEnrollments(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListEnrollmentsQuery(accountId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, ProgramsMapper.ToResponse);

    public static async Task<Results<Created<EnrollmentResponse>, ProblemHttpResult>> Enroll(
        Guid accountId, EnrollRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(request.ToCommand(accountId), cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!, http);
        }

        http.Response.Headers.ETag = ETags.Format(result.Value.Version);
        var enrollment = result.Value.Value;
        return TypedResults.Created($"{http.Request.PathBase}/v1/accounts/{accountId}/enrollments/{enrollment.ProgramId}", enrollment.ToResponse());
    }

    public static async Task<Results<Ok<EnrollmentResponse>, NotModifiedResult, ProblemHttpResult>> GetEnrollment(
        Guid accountId, string programId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetEnrollmentQuery(accountId, programId), cancellationToken)).Versioned(http, ProgramsMapper.ToResponse);

    public static async Task<Results<Ok<EnrollmentResponse>, ProblemHttpResult>> WithdrawEnrollment(
        Guid accountId, string programId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new WithdrawEnrollmentCommand(accountId, programId, ETags.IfMatchOf(http.Request)), cancellationToken))
            .Written(http, ProgramsMapper.ToResponse);

    public static async Task<Results<Ok<EnrollmentResponse>, ProblemHttpResult>> DecideEnrollment(
        Guid accountId, string programId, EnrollmentDecisionRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId, programId), cancellationToken)).Written(http, ProgramsMapper.ToResponse);

    public static async Task<Results<Ok<AccountSettingsResponse>, ProblemHttpResult>> GetAccountSettings(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetAccountSettingsQuery(accountId), cancellationToken)).Ok(http, ProgramsMapper.ToResponse);
}
