using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using PartnerAccounts.Api.MpnVerification;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Architecture: the service authenticates with the stock pipeline (JWT bearer, the only and default scheme, <c>UseAuthentication()</c>,
/// <c>RequireAuthorization()</c>); the one exception is the MPN verification slice, whose own key check runs for its two
/// endpoints only.
/// </summary>
public sealed class StockAuthenticationTests
{
    private static ApiFactory Factory => TestHost.Factory;

    [Test]
    public async Task AuthenticationSchemes_ShouldBeJwtBearerOnlyAndByDefault()
    {
        var schemes = Factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        var all = (await schemes.GetAllSchemesAsync()).Select(s => s.Name);
        var defaultScheme = await schemes.GetDefaultAuthenticateSchemeAsync();

        Assert.That(all, Is.EqualTo(new[] { JwtBearerDefaults.AuthenticationScheme }));
        Assert.That(defaultScheme?.Name, Is.EqualTo(JwtBearerDefaults.AuthenticationScheme));
    }

    [Test]
    public void Endpoints_ShouldEachRequireAuthorizationOrAllowAnonymous()
    {
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var unguarded = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.That(endpoints, Is.Not.Empty);
        Assert.That(unguarded, Is.Empty, "every endpoint goes through the stock authorization (RequireAuthorization or AllowAnonymous)");
    }

    [Test]
    public void MpnVerificationSlice_ShouldHoldExactlyTheTwoVerificationEndpoints()
    {
        var endpoints = Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

        var inSlice = endpoints.Where(e => e.Metadata.GetMetadata<MpnVerificationEndpoint>() is not null).Select(e => e.RoutePattern.RawText).Order();

        Assert.That(inSlice, Is.EqualTo(new[] { MpnVerificationSlice.Path, MpnVerificationSlice.BulkPath }));
    }

    [Test]
    public void ApiAssembly_ShouldDefineNoAuthenticationHandlerOfItsOwn()
    {
        var handlers = typeof(Program).Assembly.GetTypes().Where(t => typeof(IAuthenticationHandler).IsAssignableFrom(t)).Select(t => t.Name);

        Assert.That(handlers, Is.Empty, "X-Api-Key is checked by the MPN verification slice, not by an authentication scheme");
    }
}
