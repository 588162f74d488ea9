using System.Net;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>A person links their Microsoft Learn transcript under /me; the accounts they belong to show whether (not the link).</summary>
public sealed class LearnProfileTests : ApiTest
{
    private const string Uri = "/v1/me/learn-profile";
    private const string ValidUrl = "https://learn.microsoft.com/en-us/users/pat-lee/transcript/dlmmaab3kz6e9xz";

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, object body, string? ifMatch) =>
        client.SendAsync(Json(HttpMethod.Put, Uri, body, ifMatch));

    private static async Task<(JsonObject Body, string ETag)> LinkAsync(HttpClient client, string url)
    {
        var (_, etag) = await GetWithETagAsync(client, Uri);
        using var response = await PutAsync(client, new { transcriptUrl = url }, etag);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return ((await ReadJsonAsync(response)).AsObject(), response.Headers.ETag!.Tag);
    }

    [Test]
    public async Task GetMyLearnProfile_WhenNeverLinked_ShouldBe200NotLinked()
    {
        using var client = As(NewEmail("learner"));

        var (body, etag) = await GetWithETagAsync(client, Uri);

        Assert.Multiple(() =>
        {
            Assert.That(body["linked"]!.GetValue<bool>(), Is.False);
            Assert.That(body["transcriptUrl"], Is.Null);
            Assert.That(body["linkedAt"], Is.Null);
            Assert.That(etag, Is.EqualTo("\"0\""));
        });
    }

    [Test]
    public async Task LinkMyLearnProfile_WithAShareLink_ShouldLinkItAndShowItToTheCaller()
    {
        using var client = As(NewEmail("learner"));

        var (linked, etag) = await LinkAsync(client, "HTTPS://Learn.Microsoft.com/EN-US/users/pat-lee/transcript/dlmmaab3kz6e9xz");
        var (read, readEtag) = await GetWithETagAsync(client, Uri);

        Assert.Multiple(() =>
        {
            Assert.That(linked["linked"]!.GetValue<bool>(), Is.True);
            Assert.That(linked["transcriptUrl"]!.GetValue<string>(), Is.EqualTo(ValidUrl), "scheme, host and locale in lower case");
            Assert.That(linked["linkedAt"]!.GetValue<DateTime>(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(5)));
            Assert.That(read.ToJsonString(), Is.EqualTo(linked.ToJsonString()));
            Assert.That(readEtag, Is.EqualTo(etag));
        });
    }

    [TestCase("http://learn.microsoft.com/en-us/users/pat/transcript/abc123")]
    [TestCase("https://learn.microsoft.com.evil.example/en-us/users/pat/transcript/abc123")]
    [TestCase("https://evil.example/learn.microsoft.com/en-us/users/pat/transcript/abc123")]
    [TestCase("https://learn.microsoft.com:8443/en-us/users/pat/transcript/abc123")]
    [TestCase("https://user@learn.microsoft.com/en-us/users/pat/transcript/abc123")]
    [TestCase("https://learn.microsoft.com/english/users/pat/transcript/abc123")]
    [TestCase("https://learn.microsoft.com/en-us/users/../transcript/abc123")]
    [TestCase("https://learn.microsoft.com/en-us/users/pat/transcript/abc123?x=1")]
    [TestCase("https://learn.microsoft.com/en-us/users/pat/transcript/abc123#top")]
    [TestCase("https://learn.microsoft.com/en-us/users/pat/transcript/")]
    [TestCase("https://learn.microsoft.com/en-us/users/pat/achievements/abc123")]
    [TestCase("https://learn.microsoft.com/en-us/users/pat%2F..%2Fx/transcript/abc123")]
    [TestCase("")]
    public async Task LinkMyLearnProfile_WithAnythingButAShareLink_ShouldBe400OnTheFieldAndLinkNothing(string url)
    {
        using var client = As(NewEmail("learner"));

        using var response = await PutAsync(client, new { transcriptUrl = url }, "\"0\"");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "transcriptUrl" }));
        var (body, _) = await GetWithETagAsync(client, Uri);
        Assert.That(body["linked"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task LinkMyLearnProfile_WithTooLongName_ShouldBe400()
    {
        using var client = As(NewEmail("learner"));

        using var response = await PutAsync(client, new { transcriptUrl = $"https://learn.microsoft.com/en-us/users/{new string('a', 101)}/transcript/abc" }, "\"0\"");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[] { "transcriptUrl" }));
    }

    [Test]
    public async Task LinkMyLearnProfile_WithoutIfMatch_ShouldBe428()
    {
        using var client = As(NewEmail("learner"));

        using var response = await PutAsync(client, new { transcriptUrl = ValidUrl }, ifMatch: null);

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
    }

    [Test]
    public async Task LinkMyLearnProfile_WithAStaleETag_ShouldBe412AndKeepTheLink()
    {
        using var client = As(NewEmail("learner"));
        var (_, first) = await LinkAsync(client, ValidUrl);
        await LinkAsync(client, ValidUrl.Replace("pat-lee", "pat-lee-2", StringComparison.Ordinal));

        using var stale = await PutAsync(client, new { transcriptUrl = ValidUrl }, first);

        await AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        var (body, _) = await GetWithETagAsync(client, Uri);
        Assert.That(body["transcriptUrl"]!.GetValue<string>(), Does.Contain("pat-lee-2"));
    }

    [Test]
    public async Task UnlinkMyLearnProfile_WhenLinked_ShouldUnlinkAndNeverReuseAnETag()
    {
        using var client = As(NewEmail("learner"));
        var (_, linkedEtag) = await LinkAsync(client, ValidUrl);

        using var delete = await client.SendAsync(Json(HttpMethod.Delete, Uri, null, linkedEtag));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await delete.Content.ReadAsStringAsync());
        var (body, etag) = await GetWithETagAsync(client, Uri);
        using var again = await client.SendAsync(Json(HttpMethod.Delete, Uri, null, etag));

        Assert.Multiple(() =>
        {
            Assert.That(body["linked"]!.GetValue<bool>(), Is.False);
            Assert.That(body["transcriptUrl"], Is.Null);
            Assert.That(etag, Is.Not.EqualTo(linkedEtag).And.Not.EqualTo("\"0\""));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "unlinking twice is fine");
        });
    }

    [Test]
    public async Task UnlinkMyLearnProfile_WithoutIfMatch_ShouldBe428()
    {
        using var client = As(NewEmail("learner"));

        using var response = await client.DeleteAsync(new System.Uri(Uri, UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.PreconditionRequired, "if_match_required");
    }

    [Test]
    public async Task GetMyLearnProfile_WithoutCredentials_ShouldBe401()
    {
        using var anonymous = Anonymous();

        using var response = await anonymous.GetAsync(new System.Uri(Uri, UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Test]
    public async Task ListUsers_WhenOneMemberLinkedLearn_ShouldShowWhoAndWhenButNotTheLink()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        var (member, memberId, _) = await NewMemberAsync(admin, accountId, "account-admin");
        var (linked, _) = await LinkAsync(member, ValidUrl);

        using var list = await admin.GetAsync(new System.Uri($"/v1/accounts/{accountId}/users", UriKind.Relative));
        var text = await list.Content.ReadAsStringAsync();
        var (single, _) = await GetWithETagAsync(admin, $"/v1/accounts/{accountId}/users/{memberId}");

        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var items = JsonNode.Parse(text)!["items"]!.AsArray();
        var memberItem = items.Single(i => i!["id"]!.GetValue<Guid>() == memberId)!;
        var adminItem = items.Single(i => i!["id"]!.GetValue<Guid>() != memberId)!;
        Assert.Multiple(() =>
        {
            Assert.That(memberItem["learnProfile"]!["linked"]!.GetValue<bool>(), Is.True);
            Assert.That(memberItem["learnProfile"]!["linkedAt"]!.GetValue<DateTime>(), Is.EqualTo(linked["linkedAt"]!.GetValue<DateTime>()));
            Assert.That(adminItem["learnProfile"]!["linked"]!.GetValue<bool>(), Is.False);
            Assert.That(adminItem["learnProfile"]!["linkedAt"], Is.Null);
            Assert.That(single["learnProfile"]!["linked"]!.GetValue<bool>(), Is.True);
            Assert.That(text, Does.Not.Contain("transcript"), "other admins see that, not where");
            Assert.That(single.ToJsonString(), Does.Not.Contain("transcript"));
        });
    }

    [Test]
    public async Task LinkMyLearnProfile_WhenTheCallersAccountIsSuspended_ShouldStillWork()
    {
        var (admin, accountId, _) = await NewAdminWithAccountAsync();
        using var op = AsOperator();
        using (var suspend = await op.SendAsync(Json(HttpMethod.Post, $"/v1/accounts/{accountId}/status-changes", new { status = "suspended", reason = "Review" })))
        {
            Assert.That(suspend.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (linked, _) = await LinkAsync(admin, ValidUrl);

        Assert.That(linked["linked"]!.GetValue<bool>(), Is.True, "the association is the person's, not the account's");
    }
}
