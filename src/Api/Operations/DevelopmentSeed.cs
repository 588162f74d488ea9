using System.Security.Claims;
using Mediator;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Accounts.CreateAccount;
using PartnerAccounts.Application.Common.Models;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Api.Operations;

/// <summary>In Development, one demo account whose Global admin the README documents, created through the same use case as any other.</summary>
public static class DevelopmentSeed
{
    public const string AdminEmail = "admin@contoso.example";
    public const string LegalName = "Contoso Demo Ltd";

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == AdminEmail.ToUpperInvariant(), cancellationToken))
        {
            return;
        }

        var http = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("email", AdminEmail)], "seed")),
            RequestServices = scope.ServiceProvider,
        };
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = http;
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(
            new CreateAccountCommand(
                LegalName,
                new AddressInput("1 Microsoft Way", null, "Redmond", "WA", "98052", "US"),
                new ContactInput("Ada", "Admin", AdminEmail, "+1 425 555 0100"),
                "Contoso"),
            cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Seeding the demo account failed: {result.Error!.Code}");
        }
    }
}
