using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// A request's context comes from EF Core's pool and is resolved under two service types (<see cref="AppDbContext"/> and
/// <see cref="IAppDbContext"/>), so its scope disposes it twice. Given back to the pool at the first of those, it could be
/// rented by another request before the second, which then gave that request's context back under it: under load a write
/// failed with ObjectDisposedException (a 500) at its save, or two requests shared one context.
/// </summary>
public sealed class ContextLifetimeTests : ApiTest
{
    private const int Rentals = 32; // more than the pool holds idle after start-up, so one of them is the first scope's context

    [Test]
    public async Task ScopeEnd_ShouldGiveItsContextBackOnce_SoContextsRentedMeanwhileStayUsable()
    {
        await using var host = Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddScoped<RentOnDispose>()));
        RentOnDispose probe;
        using (var scope = host.Services.CreateScope())
        {
            // Disposed in the reverse order: IAppDbContext, then the probe (which rents contexts in scopes of its own), then AppDbContext.
            var first = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            probe = scope.ServiceProvider.GetRequiredService<RentOnDispose>();
            Assert.That(scope.ServiceProvider.GetRequiredService<IAppDbContext>(), Is.SameAs(first));
            _ = await first.Accounts.AnyAsync();
        }

        // Every context given back once: as many scopes as there are open at once hold as many different contexts.
        for (var i = 0; i < Rentals; i++)
        {
            var scope = host.Services.CreateScope();
            probe.Rented.Add((scope, scope.ServiceProvider.GetRequiredService<AppDbContext>()));
        }

        try
        {
            var contexts = probe.Rented.Select(r => r.Context).ToList();
            Assert.That(contexts.Distinct(ReferenceEqualityComparer.Instance).Count(), Is.EqualTo(contexts.Count), "no context is held by two scopes at once");
            foreach (var context in contexts)
            {
                Assert.DoesNotThrowAsync(async () => await context.Accounts.AnyAsync(), "a context rented while the first scope ended stays usable");
            }
        }
        finally
        {
            foreach (var (scope, _) in probe.Rented)
            {
                scope.Dispose();
            }
        }
    }

    private sealed class RentOnDispose(IServiceScopeFactory scopes) : IDisposable
    {
        public List<(IServiceScope Scope, AppDbContext Context)> Rented { get; } = [];

        public void Dispose()
        {
            for (var i = 0; i < Rentals; i++)
            {
                var scope = scopes.CreateScope();
                Rented.Add((scope, scope.ServiceProvider.GetRequiredService<AppDbContext>()));
            }
        }
    }
}
