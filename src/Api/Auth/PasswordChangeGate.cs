using PartnerAccounts.Api.Http;

namespace PartnerAccounts.Api.Auth;

/// <summary>Marks the one endpoint a temporary-password token may call.</summary>
public sealed class AllowPasswordChangeOnlyAttribute : Attribute;

/// <summary>A token issued for a temporary password opens nothing but the password change: everything else is 403 <c>password_change_required</c>.</summary>
public sealed class PasswordChangeGateMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.HasClaim(Authentication.PasswordChangeOnlyClaim, "true") &&
            context.GetEndpoint()?.Metadata.GetMetadata<AllowPasswordChangeOnlyAttribute>() is null)
        {
            var problem = Problems.Create(context, StatusCodes.Status403Forbidden, "password_change_required",
                "You signed in with a temporary password: change it with POST /v1/me/password, then sign in again.");
            return Problems.WriteAsync(context, problem);
        }

        return next(context);
    }
}
