using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Api.OpenApi;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Common.Preconditions;
using PartnerAccounts.Application.RoleManagement;
using PartnerAccounts.Application.RoleManagement.AssignRole;
using PartnerAccounts.Application.RoleManagement.ListRoleMembers;
using PartnerAccounts.Application.RoleManagement.ListRoles;
using PartnerAccounts.Application.RoleManagement.ListUserRoles;
using PartnerAccounts.Application.RoleManagement.RemoveRole;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Application.Users.GetUser;
using PartnerAccounts.Application.Users.ListUsers;
using PartnerAccounts.Application.Users.RemoveUser;
using PartnerAccounts.Application.Users.ResetPassword;

namespace PartnerAccounts.Api.Endpoints.V1;

public sealed class Users : IEndpointGroup
{
    public void Map(IEndpointRouteBuilder v1)
    {
        var users = v1.MapGroup("/accounts/{accountId}/users").WithTags("Users");
        users.MapGet("/", ListUsers).WithName(nameof(ListUsers))
            .WithSummary("List the account's users with their roles (paged)")
            .ProducesProblems(400, 401, 403, 404);
        users.MapPost("/", InviteUser).WithName(nameof(InviteUser))
            .WithSummary("Invite a person by email with initial roles; a person new to the service gets a one-time temporary password in this response only. " +
                "Developer roles need a developer program that allows role assignment (422 settings_area_missing)")
            .ProducesProblems(400, 401, 403, 404, 409, 413, 415, 422);
        users.MapGet("/{userId}", GetUser).WithName(nameof(GetUser))
            .WithSummary("Read a user of the account")
            .ProducesProblems(400, 401, 403, 404);
        users.MapPut("/{userId}", UpdateUser).WithName(nameof(UpdateUser))
            .WithSummary("Change a user's display name (If-Match)")
            .ProducesProblems(400, 401, 403, 404, 412, 413, 415, 428)
            .ConditionalOn(ConditionalResource.User, "userId");
        users.MapDelete("/{userId}", RemoveUser).WithName(nameof(RemoveUser))
            .WithSummary("Remove a user from the account (If-Match); the last Global admin cannot be removed")
            .ProducesProblems(400, 401, 403, 404, 409, 412, 428);
        users.MapPost("/{userId}/password-resets", ResetUserPassword).WithName(nameof(ResetUserPassword))
            .WithSummary("Issue a one-time temporary password (shown once) that must be changed at the next sign-in")
            .WithoutResponseHeader(201, "Location")
            .ProducesProblems(400, 401, 403, 404);
        users.MapGet("/{userId}/roles", ListUserRoles).WithName(nameof(ListUserRoles))
            .WithSummary("The roles a user holds in the account")
            .ProducesProblems(400, 401, 403, 404);
        users.MapPut("/{userId}/roles/{roleId}", AssignRole).WithName(nameof(AssignRole))
            .WithSummary("Grant a role (idempotent); Global admin only by Global admins, User management admin only by user managers; " +
                "developer roles only with a developer program that allows role assignment (422 settings_area_missing)")
            .ProducesProblems(400, 401, 403, 404, 409, 422);
        users.MapDelete("/{userId}/roles/{roleId}", RemoveRole).WithName(nameof(RemoveRole))
            .WithSummary("Revoke a role (idempotent); the account's last Global admin keeps theirs (409 last_global_admin)")
            .ProducesProblems(400, 401, 403, 404, 409);

        v1.MapGet("/accounts/{accountId}/roles/{roleId}/members", ListRoleMembers).WithTags("Roles").WithName(nameof(ListRoleMembers))
            .WithSummary("The account's users who hold a role (paged)")
            .ProducesProblems(400, 401, 403, 404);
        v1.MapGet("/roles", ListRoles).WithTags("Roles").WithName(nameof(ListRoles))
            .WithSummary("The role catalogue: every role, its settings area and the permissions it grants")
            .ProducesProblems(401)
            .AnswersWithoutDatabase();
    }

    public static async Task<Results<Ok<PageResponse<UserResponse>>, ProblemHttpResult>> ListUsers(
        Guid accountId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListUsersQuery(accountId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, UsersMapper.ToResponse);

    public static async Task<Results<Created<InvitedUserResponse>, ProblemHttpResult>> InviteUser(
        Guid accountId, InviteUserRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(request.ToCommand(accountId), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"{http.Request.PathBase}/v1/accounts/{accountId}/users/{result.Value.User.Id}", result.Value.ToResponse())
            : Problems.From(result.Error!, http);
    }

    public static async Task<Results<Ok<UserResponse>, NotModifiedResult, ProblemHttpResult>> GetUser(
        Guid accountId, Guid userId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetUserQuery(accountId, userId), cancellationToken)).Versioned(http, UsersMapper.ToResponse);

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateUser(
        Guid accountId, Guid userId, UpdateUserRequest request, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(request.ToCommand(accountId, userId, ETags.IfMatchOf(http.Request)), cancellationToken)).Written(http, UsersMapper.ToResponse);

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveUser(
        Guid accountId, Guid userId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new RemoveUserCommand(accountId, userId, ETags.IfMatchOf(http.Request)), cancellationToken)).NoContent(http);

    public static async Task<Results<Created<TemporaryPasswordResponse>, ProblemHttpResult>> ResetUserPassword(
        Guid accountId, Guid userId, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        var result = await mediator.Send(new ResetPasswordCommand(accountId, userId), cancellationToken);
        return result.IsSuccess ? TypedResults.Created((string?)null, result.Value.ToResponse()) : Problems.From(result.Error!, http);
    }

    public static async Task<Results<Ok<IReadOnlyList<RoleResponse>>, ProblemHttpResult>> ListUserRoles(
        Guid accountId, Guid userId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new ListUserRolesQuery(accountId, userId), cancellationToken)).Ok(http, ToResponses);

    public static async Task<Results<Ok<IReadOnlyList<RoleResponse>>, ProblemHttpResult>> AssignRole(
        Guid accountId, Guid userId, string roleId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new AssignRoleCommand(accountId, userId, roleId), cancellationToken)).Ok(http, ToResponses);

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveRole(
        Guid accountId, Guid userId, string roleId, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new RemoveRoleCommand(accountId, userId, roleId), cancellationToken)).NoContent(http);

    public static async Task<Results<Ok<PageResponse<RoleMemberResponse>>, ProblemHttpResult>> ListRoleMembers(
        Guid accountId, string roleId, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? limit = null, string? continuationToken = null) =>
        (await mediator.Send(new ListRoleMembersQuery(accountId, roleId, new PageRequest(limit ?? PageRequest.DefaultLimit, continuationToken)), cancellationToken))
            .Paged(http, UsersMapper.ToResponse);

    public static async Task<Ok<IReadOnlyList<RoleResponse>>> ListRoles(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponses(await mediator.Send(new ListRolesQuery(), cancellationToken)));

    private static IReadOnlyList<RoleResponse> ToResponses(IReadOnlyList<RoleDto> roles) => [.. roles.Select(UsersMapper.ToResponse)];
}
