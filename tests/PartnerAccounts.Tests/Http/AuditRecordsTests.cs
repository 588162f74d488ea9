using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class AuditRecordsTests : ApiTest
{
    [Test]
    public async Task ListAuditRecords_AfterAccountCreation_ShouldShowTheAccountAndRoleAssignmentByTheCreator()
    {
        var email = NewEmail("founder");
        using var client = As(email);
        var account = await CreateAccountAsync(client, "Audited Creation Ltd");
        var accountId = account["id"]!.GetValue<Guid>();

        var records = await ListAsync(client, accountId);

        var created = records.Single(r => Text(r, "action") == "created" && Text(r, "resource") == "account");
        var assigned = records.Single(r => Text(r, "action") == "roleAssigned");
        Assert.Multiple(() =>
        {
            Assert.That(Text(created, "actor"), Is.EqualTo(email));
            Assert.That(Text(created, "resourceId"), Is.EqualTo(accountId.ToString()));
            Assert.That(created["before"], Is.Null);
            Assert.That(created["after"], Is.InstanceOf<JsonObject>(), "snapshots are JSON objects, not strings");
            Assert.That(Text(created["after"]!, "legalName"), Is.EqualTo("Audited Creation Ltd"));
            Assert.That(Text(created["after"]!, "mpnId"), Is.EqualTo(account["mpnId"]!.GetValue<string>()));
            Assert.That(created["occurredAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
            Assert.That(Text(created, "occurredAt"), Does.EndWith("Z"), "timestamps are UTC");
            Assert.That(Text(assigned, "actor"), Is.EqualTo(email));
            Assert.That(Text(assigned, "resource"), Is.EqualTo("users/roles"));
            Assert.That(Text(assigned["after"]!, "roleId"), Is.EqualTo("global-admin"));
            Assert.That(Text(assigned["after"]!, "email"), Is.EqualTo(email));
        });
    }

    [Test]
    public async Task ListAuditRecords_AfterLegalBusinessUpdate_ShouldRecordTheOldAndNewValues()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        var oldName = account["legalName"]!.GetValue<string>();

        await RenameLegalBusinessAsync(client, accountId, "Renamed Legal Name Inc");

        var records = await ListAsync(client, accountId);
        var update = records.Single(r => Text(r, "action") == "updated" && Text(r, "resource") == "profiles/legalbusiness");
        Assert.Multiple(() =>
        {
            Assert.That(update["before"], Is.InstanceOf<JsonObject>());
            Assert.That(update["after"], Is.InstanceOf<JsonObject>());
            Assert.That(Text(update["before"]!, "companyName"), Is.EqualTo(oldName));
            Assert.That(Text(update["after"]!, "companyName"), Is.EqualTo("Renamed Legal Name Inc"));
            Assert.That(Text(update["after"]!["address"]!, "city"), Is.EqualTo("Redmond"));
            Assert.That(Text(update["before"]!["address"]!, "city"), Is.EqualTo("Seattle"));
            Assert.That(Text(records[0], "resource"), Is.EqualTo("profiles/legalbusiness"), "the latest change comes first");
        });
    }

    [Test]
    public async Task ListAuditRecords_AfterOperatorVerificationDecision_ShouldNameTheOperator()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var operatorEmail = NewEmail("operator");
        using var op = As(operatorEmail, isOperator: true);

        using var decided = await op.PostAsJsonAsync($"/v1/accounts/{accountId}/verification/decisions", new { status = "verified" });
        Assert.That(decided.StatusCode, Is.EqualTo(HttpStatusCode.OK), await decided.Content.ReadAsStringAsync());

        var decision = (await ListAsync(client, accountId)).Single(r => Text(r, "resource") == "verification");
        Assert.Multiple(() =>
        {
            Assert.That(Text(decision, "actor"), Is.EqualTo(operatorEmail));
            Assert.That(Text(decision, "action"), Is.EqualTo("verificationDecided"));
            Assert.That(Text(decision["before"]!, "status"), Is.EqualTo("pending"));
            Assert.That(Text(decision["after"]!, "status"), Is.EqualTo("verified"));
        });
    }

    [Test]
    public async Task ListAuditRecords_WhenAChangeCarriedACorrelationId_ShouldStoreIt()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var correlationId = "audit-" + Guid.NewGuid().ToString("N");

        await RenameLegalBusinessAsync(client, accountId, "Correlated Ltd", correlationId);

        var records = await ListAsync(client, accountId);
        var update = records.Single(r => Text(r, "resource") == "profiles/legalbusiness");
        Assert.That(Text(update, "correlationId"), Is.EqualTo(correlationId));
        Assert.That(records.Where(r => r != update).Select(r => r["correlationId"]?.GetValue<string>()), Has.None.EqualTo(correlationId));
    }

    [Test]
    public async Task ListAuditRecords_ShouldListNewestFirst()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await RenameLegalBusinessAsync(client, accountId, "First Rename Ltd");
        await RenameLegalBusinessAsync(client, accountId, "Second Rename Ltd");

        var records = await ListAsync(client, accountId);

        var ids = records.Select(r => r["id"]!.GetValue<long>()).ToList();
        var times = records.Select(r => r["occurredAt"]!.GetValue<DateTime>()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Ordered.Descending.And.Unique);
            Assert.That(times, Is.Ordered.Descending);
            Assert.That(Text(records[0]["after"]!, "companyName"), Is.EqualTo("Second Rename Ltd"));
            Assert.That(Text(records[1]["after"]!, "companyName"), Is.EqualTo("First Rename Ltd"));
            Assert.That(Text(records[^1], "action"), Is.EqualTo("created"));
        });
    }

    [Test]
    public async Task ListAuditRecords_WhenPagedByOne_ShouldWalkEveryRecordWithTokensAndLinkHeaders()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await RenameLegalBusinessAsync(client, accountId, "Paged Audit Ltd");
        var expected = (await ListAsync(client, accountId)).Select(r => r["id"]!.GetValue<long>()).ToList();
        Assert.That(expected, Has.Count.GreaterThanOrEqualTo(3));

        var walked = new List<long>();
        var next = $"/v1/accounts/{accountId}/auditrecords?limit=1";
        while (true)
        {
            using var response = await client.GetAsync(new Uri(next, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var page = (await ReadJsonAsync(response)).AsObject();
            var items = page["items"]!.AsArray();
            Assert.That(items, Has.Count.EqualTo(1));
            walked.Add(items[0]!["id"]!.GetValue<long>());

            if (page["continuationToken"] is null)
            {
                Assert.That(response.Headers.Contains("Link"), Is.False, "the last page has no next link");
                break;
            }

            var link = response.Headers.GetValues("Link").Single();
            Assert.That(link, Does.EndWith("rel=\"next\"").And.Contain("limit=1"));
            next = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
            Assert.That(next, Does.Contain("continuationToken=" + Uri.EscapeDataString(page["continuationToken"]!.GetValue<string>())));
            Assert.That(walked, Has.Count.LessThanOrEqualTo(expected.Count), "paging must end");
        }

        Assert.That(walked, Is.EqualTo(expected));
    }

    [Test]
    public async Task ListAuditRecords_WhenTokenIsFromAnotherAccount_ShouldReturn400()
    {
        using var client = As(NewEmail("admin"));
        var first = (await CreateAccountAsync(client))["id"]!.GetValue<Guid>();
        var second = (await CreateAccountAsync(client))["id"]!.GetValue<Guid>();
        var token = await FirstTokenAsync(client, $"/v1/accounts/{first}/auditrecords?limit=1");

        using var response = await client.GetAsync(new Uri(
            $"/v1/accounts/{second}/auditrecords?limit=1&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_continuation_token");
    }

    [Test]
    public async Task ListAuditRecords_WhenTokenWasIssuedForOtherDates_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var token = await FirstTokenAsync(client, $"/v1/accounts/{accountId}/auditrecords?limit=1");

        using var filtered = await client.GetAsync(new Uri(
            $"/v1/accounts/{accountId}/auditrecords?limit=1&startDate=2000-01-01&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative));
        using var forged = await client.GetAsync(new Uri($"/v1/accounts/{accountId}/auditrecords?continuationToken=AAAAbogus", UriKind.Relative));

        await AssertProblemAsync(filtered, HttpStatusCode.BadRequest, "invalid_continuation_token");
        await AssertProblemAsync(forged, HttpStatusCode.BadRequest, "invalid_continuation_token");
    }

    [Test]
    public async Task ListAuditRecords_WhenStartDateIsInTheFuture_ShouldReturnNoRecords()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var records = await ListAsync(client, accountId, $"startDate={tomorrow}");

        Assert.That(records, Is.Empty);
        Assert.That(await ListAsync(client, accountId, "startDate=2000-01-01"), Is.Not.Empty);
    }

    [Test]
    public async Task ListAuditRecords_WhenFilteredByDateTimes_ShouldIncludeStartAndExcludeEnd()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = (await ListAsync(client, accountId)).Single(r => Text(r, "action") == "created");
        var at = Uri.EscapeDataString(created["occurredAt"]!.GetValue<string>());

        var from = await ListAsync(client, accountId, $"startDate={at}");
        var until = await ListAsync(client, accountId, $"endDate={at}");

        Assert.That(from.Select(r => Text(r, "action")), Does.Contain("created"), "startDate is inclusive");
        Assert.That(until.Select(r => Text(r, "action")), Does.Not.Contain("created"), "a date-time endDate is exclusive");
    }

    [Test]
    public async Task ListAuditRecords_WhenEndDateIsADate_ShouldIncludeThatWholeDay()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = (await ListAsync(client, accountId)).Single(r => Text(r, "action") == "created");
        var day = created["occurredAt"]!.GetValue<DateTime>().ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var wholeDay = await ListAsync(client, accountId, $"startDate={day}&endDate={day}");
        var untilMidnight = await ListAsync(client, accountId, $"endDate={day}T00:00:00Z");

        Assert.That(wholeDay.Select(r => Text(r, "action")), Does.Contain("created"));
        Assert.That(untilMidnight, Is.Empty);
    }

    [Test]
    public async Task ListAuditRecords_WhenEndDateIsBeforeStartDate_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var dates = await client.GetAsync(new Uri($"/v1/accounts/{accountId}/auditrecords?startDate=2024-05-02&endDate=2024-05-01", UriKind.Relative));
        using var times = await client.GetAsync(new Uri(
            $"/v1/accounts/{accountId}/auditrecords?startDate=2024-05-01T12:00:00Z&endDate=2024-05-01T11:59:59Z", UriKind.Relative));

        Assert.That(FieldErrors(await AssertProblemAsync(dates, HttpStatusCode.BadRequest, "validation_failed")), Is.EqualTo(new[] { "endDate" }));
        Assert.That(FieldErrors(await AssertProblemAsync(times, HttpStatusCode.BadRequest, "validation_failed")), Is.EqualTo(new[] { "endDate" }));
    }

    [TestCase("startDate", "yesterday")]
    [TestCase("startDate", "2024-13-01")]
    [TestCase("startDate", "05/01/2024")]
    [TestCase("endDate", "2024-05-01T25:00:00Z")]
    [TestCase("endDate", "2024-05-01T10:00:00 02:00")]
    public async Task ListAuditRecords_WhenADateIsMalformed_ShouldReturn400NamingIt(string parameter, string value)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        using var response = await client.GetAsync(new Uri(
            $"/v1/accounts/{accountId}/auditrecords?{parameter}={Uri.EscapeDataString(value)}", UriKind.Relative));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { parameter }));
    }

    [TestCase("0")]
    [TestCase("201")]
    public async Task ListAuditRecords_WhenLimitIsOutOfRange_ShouldReturn400(string limit)
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await client.GetAsync(new Uri($"/v1/accounts/{accountId}/auditrecords?limit={limit}", UriKind.Relative));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem).Single(), Does.EndWith("limit"));
    }

    [Test]
    public async Task ListAuditRecords_WhenCallerIsNotAMember_ShouldReturn404()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var stranger = As(NewEmail("stranger"));

        using var response = await stranger.GetAsync(new Uri($"/v1/accounts/{accountId}/auditrecords", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "account_not_found");
    }

    [Test]
    public async Task ListAuditRecords_WhenUnauthenticated_ShouldReturn401()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var anonymous = Anonymous();
        using var response = await anonymous.GetAsync(new Uri($"/v1/accounts/{accountId}/auditrecords", UriKind.Relative));
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task ListAuditRecords_WhenCallerIsOperator_ShouldReturnTheRecords()
    {
        var (_, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();

        var records = await ListAsync(op, accountId);

        Assert.That(records.Select(r => Text(r, "action")), Does.Contain("created"));
    }

    private static string? Text(JsonNode node, string property) => node[property]?.GetValue<string>();

    /// <summary>Every record of the account (one page of 200), asserting a 200.</summary>
    private static async Task<List<JsonNode>> ListAsync(HttpClient client, Guid accountId, string? query = null)
    {
        var uri = $"/v1/accounts/{accountId}/auditrecords?limit=200" + (query is null ? string.Empty : "&" + query);
        using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var page = JsonNode.Parse(text)!.AsObject();
        Assert.That(page["continuationToken"], Is.Null);
        return [.. page["items"]!.AsArray().Select(i => i!)];
    }

    private static async Task<string> FirstTokenAsync(HttpClient client, string uri)
    {
        var page = (await client.GetFromJsonAsync<JsonObject>(uri))!;
        return page["continuationToken"]!.GetValue<string>();
    }

    /// <summary>Replaces the legal business profile with a new name and city, reading its ETag first.</summary>
    private static async Task RenameLegalBusinessAsync(HttpClient client, Guid accountId, string companyName, string? correlationId = null)
    {
        var uri = $"/v1/accounts/{accountId}/profiles/legalbusiness";
        var (current, etag) = await GetWithETagAsync(client, uri);
        var body = new
        {
            companyName,
            address = new { addressLine1 = "2 Side St", city = "Redmond", state = "WA", postalCode = "98052", country = "US" },
            primaryContact = current["primaryContact"],
            companyApprover = current["companyApprover"],
        };
        using var request = Json(HttpMethod.Put, uri, body, etag);
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlationId);
        }

        using var response = await client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }
}
