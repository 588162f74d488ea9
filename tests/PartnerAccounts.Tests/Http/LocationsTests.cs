using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

public sealed class LocationsTests : ApiTest
{
    private const string SevenDigits = "^[1-9][0-9]{6}$";

    private static string LocationsOf(Guid accountId) => $"/v1/accounts/{accountId}/locations";

    private static object LocationBody(string name = "Berlin office", string city = "Berlin", string country = "DE") => new
    {
        name,
        address = new { addressLine1 = "Unter den Linden 1", city, postalCode = "10117", country },
    };

    private static async Task<JsonObject> CreateLocationAsync(HttpClient client, Guid accountId, string name = "Berlin office")
    {
        using var response = await client.PostAsJsonAsync(LocationsOf(accountId), LocationBody(name));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await ReadJsonAsync(response)).AsObject();
    }

    private static async Task<JsonArray> ListAsync(HttpClient client, Guid accountId)
    {
        var page = (await client.GetFromJsonAsync<JsonObject>(LocationsOf(accountId) + "?limit=200"))!;
        return page["items"]!.AsArray();
    }

    private static async Task<T> InDatabaseAsync<T>(Func<IAppDbContext, Task<T>> read)
    {
        using var scope = Factory.Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<IAppDbContext>());
    }

    [Test]
    public async Task ListLocations_AfterAccountCreation_ShouldShowTheHeadquartersWithItsOwnMpnId()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();

        var items = await ListAsync(client, accountId);

        Assert.That(items, Has.Count.EqualTo(1));
        var headquarters = items[0]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(headquarters["name"]!.GetValue<string>(), Is.EqualTo("Headquarters"));
            Assert.That(headquarters["mpnId"]!.GetValue<string>(), Does.Match(SevenDigits));
            Assert.That(headquarters["mpnId"]!.GetValue<string>(), Is.Not.EqualTo(account["mpnId"]!.GetValue<string>()));
            Assert.That(headquarters["address"]!["city"]!.GetValue<string>(), Is.EqualTo("Seattle"));
            Assert.That(headquarters["address"]!["country"]!.GetValue<string>(), Is.EqualTo("US"));
            Assert.That(headquarters["id"]!.GetValue<Guid>(), Is.Not.EqualTo(Guid.Empty));
            Assert.That(headquarters["createdAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
        });
    }

    [Test]
    public async Task CreateLocation_WhenValid_ShouldReturn201WithLocationETagAndANewUniqueMpnId()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        var headquartersMpnId = (await ListAsync(client, accountId))[0]!["mpnId"]!.GetValue<string>();

        using var response = await client.PostAsJsonAsync(LocationsOf(accountId), LocationBody("  Berlin office  "));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = (await ReadJsonAsync(response)).AsObject();
        var id = created["id"]!.GetValue<Guid>();
        var mpnId = created["mpnId"]!.GetValue<string>();
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/v1/accounts/{accountId}/locations/{id}"));
            Assert.That(response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
            Assert.That(created["name"]!.GetValue<string>(), Is.EqualTo("Berlin office"));
            Assert.That(created["address"]!["city"]!.GetValue<string>(), Is.EqualTo("Berlin"));
            Assert.That(mpnId, Does.Match(SevenDigits));
            Assert.That(new[] { account["mpnId"]!.GetValue<string>(), headquartersMpnId, mpnId }, Is.Unique);
        });

        var (read, etag) = await GetWithETagAsync(client, response.Headers.Location!.ToString());
        Assert.That(read["mpnId"]!.GetValue<string>(), Is.EqualTo(mpnId));
        Assert.That(etag, Is.EqualTo("\"1\""));
        Assert.That((await ListAsync(client, accountId)).Select(l => l!["id"]!.GetValue<Guid>()), Does.Contain(id));

        var registered = await InDatabaseAsync(db => db.MpnRegistrations.AsNoTracking().SingleAsync(m => m.MpnId == mpnId));
        Assert.That((registered.AccountId, registered.LocationId), Is.EqualTo((accountId, (Guid?)id)));
        var audited = await InDatabaseAsync(db => db.AuditRecords.AsNoTracking()
            .AnyAsync(a => a.AccountId == accountId && a.Action == "created" && a.Resource == "locations" && a.ResourceId == id.ToString()));
        Assert.That(audited, Is.True);
    }

    [Test]
    public async Task CreateLocation_WhenManyAreCreatedAtOnce_ShouldIssueDistinctMpnIds()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();

        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => CreateLocationAsync(client, accountId, $"Office {i}")));

        var mpnIds = (await ListAsync(client, accountId)).Select(l => l!["mpnId"]!.GetValue<string>()).ToList();
        Assert.That(mpnIds, Has.Count.EqualTo(7).And.Unique);
        Assert.That(mpnIds, Is.SupersetOf(created.Select(c => c["mpnId"]!.GetValue<string>())));
    }

    [Test]
    public async Task CreateLocation_WhenFieldsAreInvalid_ShouldReturn400NamingEveryFieldAndStoreNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var body = new { name = "", address = new { addressLine1 = "", city = "Berlin", postalCode = "10117", country = "de" } };

        using var response = await client.PostAsJsonAsync(LocationsOf(accountId), body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.SupersetOf(new[] { "name", "address.addressLine1", "address.country" }));
        Assert.That(await ListAsync(client, accountId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task CreateLocation_WhenBodyIsEmpty_ShouldReturn400ListingNameAndAddress()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await client.SendAsync(Json(HttpMethod.Post, LocationsOf(accountId), "{}"));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.SupersetOf(new[] { "name", "address" }));
    }

    [Test]
    public async Task CreateLocation_WhenNameIsTooLong_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await client.PostAsJsonAsync(LocationsOf(accountId), LocationBody(new string('x', 201)));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EqualTo(new[] { "name" }));
    }

    [Test]
    public async Task GetLocation_WhenIfNoneMatchIsCurrent_ShouldReturn304()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var uri = $"{LocationsOf(accountId)}/{created["id"]}";
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo(etag));
    }

    [Test]
    public async Task ReplaceLocation_WhenIfMatchIsCurrent_ShouldReplaceNameAndAddressKeepMpnIdAndMoveETag()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var uri = $"{LocationsOf(accountId)}/{created["id"]}";
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var response = await client.SendAsync(Json(HttpMethod.Put, uri, LocationBody("Munich office", "Munich"), etag));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var newETag = response.Headers.ETag?.Tag;
        Assert.That(newETag, Is.Not.Null.And.Not.EqualTo(etag));
        var (read, readETag) = await GetWithETagAsync(client, uri);
        Assert.Multiple(() =>
        {
            Assert.That(readETag, Is.EqualTo(newETag));
            Assert.That(read["name"]!.GetValue<string>(), Is.EqualTo("Munich office"));
            Assert.That(read["address"]!["city"]!.GetValue<string>(), Is.EqualTo("Munich"));
            Assert.That(read["mpnId"]!.GetValue<string>(), Is.EqualTo(created["mpnId"]!.GetValue<string>()));
            Assert.That(read["createdAt"]!.GetValue<DateTime>(), Is.EqualTo(created["createdAt"]!.GetValue<DateTime>()));
        });

        var id = created["id"]!.ToString();
        var audit = await InDatabaseAsync(db => db.AuditRecords.AsNoTracking()
            .SingleAsync(a => a.AccountId == accountId && a.Action == "updated" && a.Resource == "locations" && a.ResourceId == id));
        Assert.That(audit.Before, Does.Contain("Berlin office"));
        Assert.That(audit.After, Does.Contain("Munich office"));
    }

    [Test]
    public async Task ReplaceLocation_WhenIfMatchIsMissing_ShouldReturn428AndChangeNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var uri = $"{LocationsOf(accountId)}/{created["id"]}";

        using var response = await client.SendAsync(Json(HttpMethod.Put, uri, LocationBody("Munich office", "Munich")));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
        var (read, etag) = await GetWithETagAsync(client, uri);
        Assert.That(read["name"]!.GetValue<string>(), Is.EqualTo("Berlin office"));
        Assert.That(etag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task ReplaceLocation_WhenIfMatchIsStale_ShouldReturn412AndChangeNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var uri = $"{LocationsOf(accountId)}/{created["id"]}";
        var (_, stale) = await GetWithETagAsync(client, uri);
        using (var first = await client.SendAsync(Json(HttpMethod.Put, uri, LocationBody("Hamburg office", "Hamburg"), stale)))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var response = await client.SendAsync(Json(HttpMethod.Put, uri, LocationBody("Munich office", "Munich"), stale));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        var (read, _) = await GetWithETagAsync(client, uri);
        Assert.That(read["name"]!.GetValue<string>(), Is.EqualTo("Hamburg office"));
    }

    [Test]
    public async Task ReplaceLocation_WhenAddressIsInvalid_ShouldReturn400NamingTheFields()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var uri = $"{LocationsOf(accountId)}/{created["id"]}";
        var body = new { name = "Munich office", address = new { addressLine1 = "Marienplatz 1", city = "", postalCode = "80331", country = "Germany" } };

        using var response = await client.SendAsync(Json(HttpMethod.Put, uri, body, "\"1\""));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "address.city", "address.country" }));
        var (read, _) = await GetWithETagAsync(client, uri);
        Assert.That(read["name"]!.GetValue<string>(), Is.EqualTo("Berlin office"));
    }

    [Test]
    public async Task DeleteLocation_WhenIfMatchIsCurrent_ShouldReturn204AndKeepItsMpnIdRegistered()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var id = created["id"]!.GetValue<Guid>();
        var mpnId = created["mpnId"]!.GetValue<string>();
        var uri = $"{LocationsOf(accountId)}/{id}";

        using var response = await client.SendAsync(Json(HttpMethod.Delete, uri, null, "\"1\""));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
        using var gone = await client.GetAsync(new Uri(uri, UriKind.Relative));
        await AssertProblemAsync(gone, HttpStatusCode.NotFound, "resource_not_found");
        var remaining = await ListAsync(client, accountId);
        Assert.That(remaining.Select(l => l!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "Headquarters" }));

        // The registry keeps the retired ID, so the issuer never hands it out again.
        var registered = await InDatabaseAsync(db => db.MpnRegistrations.AsNoTracking().AnyAsync(m => m.MpnId == mpnId));
        Assert.That(registered, Is.True);
        var audited = await InDatabaseAsync(db => db.AuditRecords.AsNoTracking()
            .AnyAsync(a => a.AccountId == accountId && a.Action == "deleted" && a.Resource == "locations" && a.ResourceId == id.ToString()));
        Assert.That(audited, Is.True);
    }

    [Test]
    public async Task DeleteLocation_WhenIfMatchIsMissing_ShouldReturn428AndKeepIt()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var uri = $"{LocationsOf(accountId)}/{created["id"]}";

        using var response = await client.SendAsync(Json(HttpMethod.Delete, uri, null));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
        Assert.That(await ListAsync(client, accountId), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task DeleteLocation_WhenIfMatchIsStale_ShouldReturn412AndKeepIt()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var created = await CreateLocationAsync(client, accountId);
        var uri = $"{LocationsOf(accountId)}/{created["id"]}";
        using (var replaced = await client.SendAsync(Json(HttpMethod.Put, uri, LocationBody("Hamburg office", "Hamburg"), "\"1\"")))
        {
            Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var response = await client.SendAsync(Json(HttpMethod.Delete, uri, null, "\"1\""));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        Assert.That(await ListAsync(client, accountId), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task DeleteLocation_WhenItIsTheLastOne_ShouldReturn409LastLocation()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var headquarters = (await ListAsync(client, accountId))[0]!;
        var uri = $"{LocationsOf(accountId)}/{headquarters["id"]}";
        var (_, etag) = await GetWithETagAsync(client, uri);

        using var response = await client.SendAsync(Json(HttpMethod.Delete, uri, null, etag));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "last_location");
        Assert.That((await ListAsync(client, accountId)).Single()!["id"]!.GetValue<Guid>(), Is.EqualTo(headquarters["id"]!.GetValue<Guid>()));
    }

    [Test]
    public async Task DeleteLocation_WhenTheTwoRemainingAreDeletedAtOnce_ShouldKeepExactlyOne()
    {
        // Several accounts at once, so the two deletions of each really overlap at least somewhere.
        var accounts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var (client, accountId, _) = await NewAdminWithAccountAsync();
            await CreateLocationAsync(client, accountId);
            var ids = (await ListAsync(client, accountId)).Select(l => l!["id"]!.GetValue<Guid>()).ToList();
            return (Client: client, AccountId: accountId, Ids: ids);
        }));

        var deletions = accounts.SelectMany(a => a.Ids.Select(async id =>
        {
            using var response = await a.Client.SendAsync(Json(HttpMethod.Delete, $"{LocationsOf(a.AccountId)}/{id}", null, "*"));
            return (a.AccountId, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        var outcomes = await Task.WhenAll(deletions);

        foreach (var (client, accountId, _) in accounts)
        {
            var mine = outcomes.Where(o => o.AccountId == accountId).ToList();
            Assert.That(mine.Select(o => o.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict }), string.Join("\n", mine.Select(o => o.Body)));
            Assert.That(mine.Single(o => o.StatusCode == HttpStatusCode.Conflict).Body, Does.Contain("last_location"));
            Assert.That(await ListAsync(client, accountId), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task GetLocation_WhenItDoesNotExist_ShouldReturn404ResourceNotFound()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await client.GetAsync(new Uri($"{LocationsOf(accountId)}/{Guid.NewGuid()}", UriKind.Relative));
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "resource_not_found");
    }

    [Test]
    public async Task GetLocation_WhenIdIsMalformed_ShouldReturn400NamingThePathParameter()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        using var response = await client.GetAsync(new Uri($"{LocationsOf(accountId)}/not-a-guid", UriKind.Relative));
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "malformed_request");
        Assert.That(FieldErrors(problem), Does.Contain("locationId"));
    }

    [Test]
    public async Task AnyLocationEndpoint_WhenTheLocationBelongsToAnotherAccount_ShouldReturn404AndTouchNothing()
    {
        var (mine, myAccountId, _) = await NewAdminWithAccountAsync();
        var (theirs, theirAccountId, _) = await NewAdminWithAccountAsync();
        var theirLocation = await CreateLocationAsync(theirs, theirAccountId, "Their office");
        var uri = $"{LocationsOf(myAccountId)}/{theirLocation["id"]}";

        using var get = await mine.GetAsync(new Uri(uri, UriKind.Relative));
        using var put = await mine.SendAsync(Json(HttpMethod.Put, uri, LocationBody("Hijacked"), "*"));
        using var delete = await mine.SendAsync(Json(HttpMethod.Delete, uri, null, "*"));

        await AssertProblemAsync(get, HttpStatusCode.NotFound, "resource_not_found");
        await AssertProblemAsync(put, HttpStatusCode.NotFound, "resource_not_found");
        await AssertProblemAsync(delete, HttpStatusCode.NotFound, "resource_not_found");
        var (read, etag) = await GetWithETagAsync(theirs, $"{LocationsOf(theirAccountId)}/{theirLocation["id"]}");
        Assert.That(read["name"]!.GetValue<string>(), Is.EqualTo("Their office"));
        Assert.That(etag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task AnyLocationEndpoint_WhenCallerIsNotAMember_ShouldReturn404AccountNotFound()
    {
        var (owner, accountId, _) = await NewAdminWithAccountAsync();
        var location = await CreateLocationAsync(owner, accountId);
        var uri = $"{LocationsOf(accountId)}/{location["id"]}";
        using var stranger = As(NewEmail("stranger"));

        using var list = await stranger.GetAsync(new Uri(LocationsOf(accountId), UriKind.Relative));
        using var get = await stranger.GetAsync(new Uri(uri, UriKind.Relative));
        using var create = await stranger.PostAsJsonAsync(LocationsOf(accountId), LocationBody());
        using var delete = await stranger.SendAsync(Json(HttpMethod.Delete, uri, null, "*"));

        await AssertProblemAsync(list, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(get, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(create, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(delete, HttpStatusCode.NotFound, "account_not_found");
        Assert.That(await ListAsync(owner, accountId), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task LocationWrites_WhenCallerIsOperator_ShouldReturn403ButReadsSucceed()
    {
        var (owner, accountId, _) = await NewAdminWithAccountAsync();
        var location = await CreateLocationAsync(owner, accountId);
        var uri = $"{LocationsOf(accountId)}/{location["id"]}";
        using var op = AsOperator();

        using var list = await op.GetAsync(new Uri(LocationsOf(accountId), UriKind.Relative));
        using var create = await op.PostAsJsonAsync(LocationsOf(accountId), LocationBody());
        using var put = await op.SendAsync(Json(HttpMethod.Put, uri, LocationBody("Operator office"), "\"1\""));
        using var delete = await op.SendAsync(Json(HttpMethod.Delete, uri, null, "\"1\""));

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertProblemAsync(create, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(put, HttpStatusCode.Forbidden, "permission_denied");
        await AssertProblemAsync(delete, HttpStatusCode.Forbidden, "permission_denied");
        var names = (await ListAsync(owner, accountId)).Select(l => l!["name"]!.GetValue<string>());
        Assert.That(names, Is.EqualTo(new[] { "Headquarters", "Berlin office" }));
    }

    [Test]
    public async Task ListLocations_WhenLimitIsOne_ShouldPageInCreationOrderWithTokenAndLinkHeader()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await CreateLocationAsync(client, accountId, "Second");
        await CreateLocationAsync(client, accountId, "Third");

        var names = new List<string>();
        var uri = LocationsOf(accountId) + "?limit=1";
        for (var pages = 1; ; pages++)
        {
            using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var page = (await ReadJsonAsync(response)).AsObject();
            Assert.That(page["items"]!.AsArray(), Has.Count.EqualTo(1));
            names.Add(page["items"]![0]!["name"]!.GetValue<string>());
            if (page["continuationToken"] is null)
            {
                Assert.That(response.Headers.Contains("Link"), Is.False);
                Assert.That(pages, Is.EqualTo(3));
                break;
            }

            var token = page["continuationToken"]!.GetValue<string>();
            Assert.That(response.Headers.GetValues("Link").Single(), Does.Contain("rel=\"next\"").And.Contain("limit=1"));
            uri = $"{LocationsOf(accountId)}?limit=1&continuationToken={Uri.EscapeDataString(token)}";
        }

        Assert.That(names, Is.EqualTo(new[] { "Headquarters", "Second", "Third" }));
    }

    [Test]
    public async Task ListLocations_WhenTokenBelongsToAnotherAccount_ShouldReturn400()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await CreateLocationAsync(client, accountId);
        var otherAccountId = (await CreateAccountAsync(client))["id"]!.GetValue<Guid>();
        var token = (await client.GetFromJsonAsync<JsonObject>(LocationsOf(accountId) + "?limit=1"))!["continuationToken"]!.GetValue<string>();

        using var response = await client.GetAsync(new Uri($"{LocationsOf(otherAccountId)}?limit=1&continuationToken={Uri.EscapeDataString(token)}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_continuation_token");
    }
}
