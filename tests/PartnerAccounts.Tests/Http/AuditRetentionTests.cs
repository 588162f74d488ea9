using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Domain.Audit;
using PartnerAccounts.Infrastructure.Audit;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// The retention job's purge, run one pass at a time with a clock of the test's own, on the suite's database (both engines). The
/// rows it plants are far older than anything another test writes, so purging them disturbs no other test.
/// </summary>
public sealed class AuditRetentionTests : ApiTest
{
    private sealed class FixedClock(DateTime now) : IClock
    {
        public DateTime UtcNow { get; set; } = now;
    }

    private static AuditPurger Purger(IClock clock, int retentionDays = 90, int batchSize = 2) => new(
        Factory.Services.GetRequiredService<IServiceScopeFactory>(),
        clock,
        Options.Create(new AuditRetentionOptions { RetentionDays = retentionDays, PurgeBatchSize = batchSize }),
        NullLogger<AuditPurger>.Instance);

    private static async Task PlantAsync(Guid accountId, params DateTime[] occurredAt)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var at in occurredAt)
        {
            db.AuditRecords.Add(AuditRecord.Create(accountId, at, "planted@example.com", "planted", "retention-test", null, null, """{"n":1}""", null));
        }

        await db.SaveChangesAsync();
    }

    private static async Task<List<DateTime>> AuditTimesAsync(Guid accountId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditRecords.AsNoTracking().Where(r => r.AccountId == accountId).OrderBy(r => r.OccurredAt).Select(r => r.OccurredAt).ToListAsync();
    }

    private static bool Near(DateTime a, DateTime b) => Math.Abs((a - b).TotalMilliseconds) < 1;

    [Test]
    public async Task PurgeOnce_WhenRecordsAreOlderThanTheRetention_ShouldDeleteThemInBatchesAndKeepTheRest()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        var now = DateTime.UtcNow;
        var expired = Enumerable.Range(91, 5).Select(days => now.AddDays(-days)).ToArray();
        var kept = now.AddDays(-89);
        await PlantAsync(accountId, [.. expired, kept]);
        var recent = (await AuditTimesAsync(accountId)).Where(t => t > kept).ToList();
        Assert.That(recent, Is.Not.Empty, "the account's creation is audited");

        var deleted = await Purger(new FixedClock(now)).PurgeOnceAsync(CancellationToken.None);

        var left = await AuditTimesAsync(accountId);
        Assert.That(deleted, Is.GreaterThanOrEqualTo(expired.Length), "five expired rows in batches of two");
        Assert.That(left, Is.EqualTo(new[] { kept }.Concat(recent)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public async Task PurgeOnce_WhenRunAgainOrOnAnotherNode_ShouldDeleteNothingMore()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        var now = DateTime.UtcNow;
        await PlantAsync(accountId, now.AddDays(-120), now.AddDays(-100));
        var purger = Purger(new FixedClock(now));

        await Task.WhenAll(purger.PurgeOnceAsync(CancellationToken.None), Purger(new FixedClock(now)).PurgeOnceAsync(CancellationToken.None));
        var afterFirst = await AuditTimesAsync(accountId);
        await purger.PurgeOnceAsync(CancellationToken.None);

        Assert.That(afterFirst.Where(t => t < now.AddDays(-90)), Is.Empty);
        Assert.That(await AuditTimesAsync(accountId), Is.EqualTo(afterFirst));
    }

    [Test]
    public async Task PurgeOnce_WhenTheClockMovesPastTheRetention_ShouldPurgeWhatHasExpiredSince()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        var now = DateTime.UtcNow;
        var almost = now.AddDays(-29);
        await PlantAsync(accountId, almost);
        var clock = new FixedClock(now);
        var purger = Purger(clock, retentionDays: 30);

        await purger.PurgeOnceAsync(CancellationToken.None);
        var beforeExpiry = await AuditTimesAsync(accountId);
        clock.UtcNow = now.AddDays(2);
        await purger.PurgeOnceAsync(CancellationToken.None);

        Assert.That(beforeExpiry.Any(t => Near(t, almost)), Is.True, "29 days old with 30 days of retention: kept");
        Assert.That((await AuditTimesAsync(accountId)).Any(t => Near(t, almost)), Is.False, "31 days old two days later: purged");
    }

    [TestCase("0")]
    [TestCase("-5")]
    public void Start_WhenRetentionDaysIsNotPositive_ShouldFailValidation(string days)
    {
        // The service's start-up validation runs every ValidateOnStart option before the host serves (and then stops the
        // process with one line), so the options are validated here the same way.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Audit:RetentionDays"] = days })
            .Build();
        using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddAuditRetention(configuration).BuildServiceProvider();

        var failure = Assert.Catch(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(failure, Is.InstanceOf<OptionsValidationException>().Or.InnerException.InstanceOf<OptionsValidationException>());
        Assert.That(failure!.ToString(), Does.Contain("RetentionDays"));
    }
}
