using System.Security.Claims;
using PartnerAccounts.Api.Http;
using PartnerAccounts.Application.Common.Abstractions;

namespace PartnerAccounts.Api.Hosting;

/// <summary>The caller, read from the validated token: <c>email</c>, else <c>preferred_username</c>, else <c>sub</c>.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public const string OperatorScope = "partneraccounts.operator";

    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public string? Email => IsAuthenticated ? IdentityOf(Principal!) : null;

    public bool IsOperator => IsAuthenticated && IsOperatorPrincipal(Principal!);

    public string? CorrelationId => accessor.HttpContext is { } http ? RequestIds.CorrelationOf(http) : null;

    public static string? IdentityOf(ClaimsPrincipal principal) =>
        principal.FindFirst("email")?.Value ?? principal.FindFirst("preferred_username")?.Value ?? principal.FindFirst("sub")?.Value;

    public static bool IsOperatorPrincipal(ClaimsPrincipal principal) =>
        principal.FindAll("scope").Concat(principal.FindAll("scp")).Any(c => c.Value.Split(' ').Contains(OperatorScope, StringComparer.Ordinal)) ||
        principal.FindAll("role").Concat(principal.FindAll("roles")).Any(c => c.Value == OperatorScope);
}
