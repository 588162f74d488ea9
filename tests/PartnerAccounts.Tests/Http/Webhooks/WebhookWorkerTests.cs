using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Domain.Webhooks;
using PartnerAccounts.Infrastructure.Persistence;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http.Webhooks;

/// <summary>
/// The delivery worker across nodes and time: two nodes with workers on one database (SQLite and, in the PostgreSQL pass, two
/// nodes competing with <c>FOR UPDATE SKIP LOCKED</c>) send each delivery once; the retention purge removes events and finished
/// deliveries older than <c>Webhooks:RetentionDays</c> and nothing newer; a node with room sends the deliveries it publishes
/// without claiming them again (each row is written twice: created claimed, then its outcome).
/// </summary>
[NonParallelizable]
public sealed class WebhookWorkerTests : WebhookTest
{
    private const int Changes = 30;

    [Test]
    public async Task Deliveries_WhenTwoNodesRunTheWorker_ShouldEachBeSentOnceAndMarkedDelivered()
    {
        await using var secondNode = Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (name, value) in FastDelivery)
            {
                builder.UseSetting(name, value);
            }
        });
        using (var warmUp = secondNode.CreateClient())
        {
            await warmUp.GetAsync(new Uri("/v1/roles", UriKind.Relative));
        }

        var email = NewEmail("hooks-admin");
        var admin = On(email);
        var accountId = (await CreateAccountAsync(admin))["id"]!.GetValue<Guid>();
        var onSecondNode = VictimAccount.ClientFor(secondNode, email);
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId, "location.created");
        // A receiver that takes a while keeps deliveries due while both nodes poll, so both claim from the same rows.
        Receiver.Slow(endpoint, TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < Changes; i++)
        {
            await AddLocationAsync(i % 2 == 0 ? admin : onSecondNode, accountId);
        }

        var deliveries = await DeliveriesAsync(admin, accountId, webhook["id"]!.GetValue<Guid>(),
            d => d.Count == Changes && d.All(x => x["status"]!.GetValue<string>() == "delivered"), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1)); // anything sent twice would arrive meanwhile
        var received = Receiver.ReceivedAt(endpoint);
        Assert.Multiple(() =>
        {
            Assert.That(deliveries, Has.Count.EqualTo(Changes));
            Assert.That(deliveries.Select(d => d["status"]!.GetValue<string>()), Is.All.EqualTo("delivered"));
            Assert.That(deliveries.Select(d => d["attempts"]!.GetValue<int>()), Is.All.EqualTo(1), "no delivery was attempted twice");
            Assert.That(received, Has.Count.EqualTo(Changes), "each delivery reached the receiver once");
            Assert.That(received.Select(r => r.Id).Distinct().Count(), Is.EqualTo(Changes));
            Assert.That(received.All(r => r.Verified), Is.True);
        });
    }

    [Test]
    public async Task Purge_ShouldRemoveEventsAndFinishedDeliveriesOlderThanTheRetention_AndKeepNewerOnes()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, _, _) = await SubscribeAsync(admin, accountId, "location.created");
        var webhookId = webhook["id"]!.GetValue<Guid>();
        var longAgo = DateTime.UtcNow.AddDays(-31);
        var oldEventId = Guid.CreateVersion7();
        var oldDeliveryId = Guid.CreateVersion7();
        using (var scope = Host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Events.Add(AccountEvent.Create(oldEventId, accountId, "location.created", longAgo, $$"""{"accountId":"{{accountId}}"}"""));
            var old = WebhookDelivery.Create(oldDeliveryId, webhookId, accountId, oldEventId, "location.created", "{}", longAgo);
            db.WebhookDeliveries.Add(old);
            db.Entry(old).Property(d => d.Status).CurrentValue = DeliveryStatus.Delivered;
            db.Entry(old).Property(d => d.NextAttemptAt).CurrentValue = null;
            await db.SaveChangesAsync();
        }

        // A change after it, so the old event is not the newest (which always stays, carrying the feed's position).
        await AddLocationAsync(admin, accountId);
        var recent = await DeliveriesAsync(admin, accountId, webhookId, d => d.Any(x => x["id"]!.GetValue<Guid>() != oldDeliveryId && x["status"]!.GetValue<string>() == "delivered"));
        await WaitUntilAsync(async db => await db.Events.CountAsync(e => e.AccountId == accountId && e.Sequence != null) >= 2);

        // A node's worker purges on its first round, then hourly.
        await using (var restarted = Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (name, value) in FastDelivery)
            {
                builder.UseSetting(name, value);
            }
        }))
        {
            using var warmUp = restarted.CreateClient();
            await warmUp.GetAsync(new Uri("/v1/roles", UriKind.Relative));
            await WaitUntilAsync(async db => !await db.Events.AnyAsync(e => e.Id == oldEventId));
        }

        using var check = Host.Services.CreateScope();
        var after = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var events = await after.Events.Where(e => e.AccountId == accountId).Select(e => e.Id).ToListAsync();
        var deliveries = await after.WebhookDeliveries.Where(d => d.WebhookId == webhookId).Select(d => d.Id).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(events, Does.Not.Contain(oldEventId), "an event older than 30 days is purged");
            Assert.That(events, Is.Not.Empty, "newer events stay");
            Assert.That(deliveries, Does.Not.Contain(oldDeliveryId), "a finished delivery older than 30 days is purged");
            Assert.That(deliveries, Does.Contain(recent.First(x => x["id"]!.GetValue<Guid>() != oldDeliveryId)["id"]!.GetValue<Guid>()), "newer deliveries stay");
        });
    }

    [Test]
    public async Task NewDeliveries_WhenTheNodeHasRoom_ShouldBeWrittenClaimed_SoOnlyTheirOutcomeUpdatesTheRow()
    {
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, endpoint, _) = await SubscribeAsync(admin, accountId, "location.created");
        var webhookId = webhook["id"]!.GetValue<Guid>();
        using (var scope = Host.Services.CreateScope())
        {
            // Test-only: a trigger notes every update of a delivery row of this webhook.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var statement in db.Database.IsNpgsql() ? CountUpdatesPostgres : CountUpdatesSqlite)
            {
                await db.Database.ExecuteSqlRawAsync(statement.Replace("{webhook}", webhookId.ToString(), StringComparison.Ordinal));
            }
        }

        try
        {
            for (var i = 0; i < 5; i++)
            {
                await AddLocationAsync(admin, accountId);
            }

            var deliveries = await DeliveriesAsync(admin, accountId, webhookId,
                d => d.Count == 5 && d.All(x => x["status"]!.GetValue<string>() == "delivered"), TimeSpan.FromSeconds(30));
            using var check = Host.Services.CreateScope();
            var after = check.ServiceProvider.GetRequiredService<AppDbContext>();
            var updates = await after.Database.SqlQueryRaw<string>("""SELECT CAST("Id" AS TEXT) AS "Value" FROM "TestDeliveryUpdates" """).ToListAsync();
            var perDelivery = updates.GroupBy(Guid.Parse).ToDictionary(g => g.Key, g => g.Count());
            Assert.Multiple(() =>
            {
                Assert.That(deliveries.Select(d => d["attempts"]!.GetValue<int>()), Is.All.EqualTo(1));
                Assert.That(Receiver.ReceivedAt(endpoint), Has.Count.EqualTo(5));
                Assert.That(deliveries.Select(d => perDelivery.GetValueOrDefault(d["id"]!.GetValue<Guid>())), Is.All.EqualTo(1),
                    "each row is created claimed and then updated once, by its outcome (no claim statement rewrites it)");
            });
        }
        finally
        {
            using var scope = Host.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var statement in db.Database.IsNpgsql() ? DropPostgres : DropSqlite)
            {
                await db.Database.ExecuteSqlRawAsync(statement);
            }
        }
    }

    [Test]
    public async Task RowsTheWorkerWrites_ShouldMatchQueriesThroughEfCore_ByIdAndTime()
    {
        // The worker writes its rows from one JSON parameter, not through EF Core: on SQLite ids and times are text, so a row
        // written in another format would compare wrongly with EF Core's parameters (an id in lower case matches nothing, a
        // time with a 'T' sorts after every time EF Core writes).
        var (admin, accountId) = await NewAccountAsync();
        var (webhook, _, _) = await SubscribeAsync(admin, accountId, "location.created");
        var webhookId = webhook["id"]!.GetValue<Guid>();
        var before = DateTime.UtcNow.AddSeconds(-1);
        await AddLocationAsync(admin, accountId);
        await AddLocationAsync(admin, accountId);
        await DeliveriesAsync(admin, accountId, webhookId, d => d.Count == 2 && d.All(x => x["status"]!.GetValue<string>() == "delivered"), TimeSpan.FromSeconds(30));
        var after = DateTime.UtcNow.AddSeconds(1);

        using var scope = Host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.WebhookId == webhookId && d.AccountId == accountId && d.CreatedAt >= before && d.CreatedAt <= after
                && d.DeliveredAt >= before && d.DeliveredAt <= after && d.LastAttemptAt >= before)
            .ToListAsync();
        var eventIds = await db.Events.Where(e => e.AccountId == accountId && e.Type == "location.created").Select(e => e.Id).ToListAsync();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(2), "both rows match EF Core's id and time parameters");
            Assert.That(rows.Select(d => d.MessageId), Is.EquivalentTo(eventIds), "each row names its event");
            Assert.That(rows.Select(d => d.Status), Is.All.EqualTo(DeliveryStatus.Delivered));
            Assert.That(rows.Select(d => (d.LeaseId, d.NextAttemptAt, d.Attempts, d.LastResponseStatus)), Is.All.EqualTo(((Guid?)null, (DateTime?)null, 1, (int?)200)));
            Assert.That(rows.Select(d => d.CreatedAt.Kind), Is.All.EqualTo(DateTimeKind.Utc));
        });
    }

    private static readonly string[] CountUpdatesSqlite =
    [
        """CREATE TABLE "TestDeliveryUpdates" ("Id" TEXT NOT NULL)""",
        """
        CREATE TRIGGER "TestCountDeliveryUpdates" AFTER UPDATE ON "WebhookDeliveries" WHEN upper(NEW."WebhookId") = upper('{webhook}')
        BEGIN INSERT INTO "TestDeliveryUpdates" ("Id") VALUES (NEW."Id"); END
        """,
    ];

    private static readonly string[] DropSqlite = ["""DROP TRIGGER IF EXISTS "TestCountDeliveryUpdates" """, """DROP TABLE IF EXISTS "TestDeliveryUpdates" """];

    private static readonly string[] CountUpdatesPostgres =
    [
        """CREATE TABLE "TestDeliveryUpdates" ("Id" uuid NOT NULL)""",
        """
        CREATE FUNCTION "TestCountDeliveryUpdate"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO "TestDeliveryUpdates" ("Id") VALUES (NEW."Id"); RETURN NEW; END $$
        """,
        """
        CREATE TRIGGER "TestCountDeliveryUpdates" AFTER UPDATE ON "WebhookDeliveries" FOR EACH ROW
        WHEN (NEW."WebhookId" = '{webhook}'::uuid) EXECUTE FUNCTION "TestCountDeliveryUpdate"()
        """,
    ];

    private static readonly string[] DropPostgres =
    [
        """DROP TRIGGER IF EXISTS "TestCountDeliveryUpdates" ON "WebhookDeliveries" """,
        """DROP FUNCTION IF EXISTS "TestCountDeliveryUpdate"()""",
        """DROP TABLE IF EXISTS "TestDeliveryUpdates" """,
    ];

    private async Task WaitUntilAsync(Func<AppDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var scope = Host.Services.CreateScope();
            if (await condition(scope.ServiceProvider.GetRequiredService<AppDbContext>()))
            {
                return;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the condition did not hold in time");
            await Task.Delay(100);
        }
    }
}
