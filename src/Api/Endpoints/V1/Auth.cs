using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Abstractions;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class Auth : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/auth/token", SignIn).WithTags("Auth").WithName(nameof(SignIn))
            .WithSummary("Sign in with email and password; returns a short-lived bearer token (rate limited, locks out after repeated failures)")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.SignInPolicy)
            .WithMetadata(new AllowPasswordChangeOnlyAttribute())
            .ProducesProblems(400, 401, 413, 415, 422, 429);
        v1.MapPost("/me/password", ChangePassword).WithTags("Auth").WithName(nameof(ChangePassword))
            .WithSummary("Change your password (the only call a temporary-password token allows)")
            .WithMetadata(new AllowPasswordChangeOnlyAttribute())
            .RequireRateLimiting(RateLimits.SignInPolicy)
            .ProducesProblems(400, 401, 413, 415, 422, 429);
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignIn(
        SignInRequest request, HttpContext http, IMediator mediator, IClock clock, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(), cancellationToken)).Ok(http, signIn => signIn.ToResponse(clock.UtcNow));

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(), cancellationToken)).NoContent(http);
}
