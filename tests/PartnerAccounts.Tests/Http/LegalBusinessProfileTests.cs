using System.Net;
using System.Text.Json.Nodes;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>The legal business profile: GET + PUT with If-Match, and how a change of legal identity restarts verification.</summary>
public sealed class LegalBusinessProfileTests : ApiTest
{
    private static string ProfileUri(Guid accountId) => $"/v1/accounts/{accountId}/profiles/legalbusiness";

    private static object Contact(string first, string email, string? phone = null) => new { firstName = first, lastName = "Doe", email, phoneNumber = phone };

    private static object ValidBody(string companyName = "Northwind Traders Ltd", object? address = null, object? primaryContact = null) => new
    {
        companyName,
        address = address ?? new { addressLine1 = "1 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
        primaryContact = primaryContact ?? Contact("Jane", "jane@northwind.example", "+1 425 555 0199"),
        companyApprover = Contact("John", "john@northwind.example"),
    };

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, Guid accountId, object body, string? ifMatch) =>
        await client.SendAsync(Json(HttpMethod.Put, ProfileUri(accountId), body, ifMatch));

    /// <summary>Replaces the profile with the current ETag and asserts it worked.</summary>
    private static async Task ReplaceAsync(HttpClient client, Guid accountId, object body)
    {
        var (_, etag) = await GetWithETagAsync(client, ProfileUri(accountId));
        using var put = await PutAsync(client, accountId, body, etag);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
    }

    /// <summary>A platform operator verifies the account.</summary>
    private static async Task VerifyAsync(Guid accountId)
    {
        using var op = AsOperator();
        using var decision = await op.SendAsync(Json(HttpMethod.Post, $"/v1/accounts/{accountId}/verification/decisions", new { status = "verified" }));
        Assert.That(decision.StatusCode, Is.EqualTo(HttpStatusCode.OK), await decision.Content.ReadAsStringAsync());
    }

    private static async Task<string> VerificationStatusAsync(HttpClient client, Guid accountId)
    {
        var (verification, _) = await GetWithETagAsync(client, $"/v1/accounts/{accountId}/verification");
        return verification["status"]!.GetValue<string>();
    }

    [Test]
    public async Task GetLegalBusinessProfile_AfterAccountCreation_ShouldReturnTheEnrollmentDataWithStrongETag()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();

        var (body, etag) = await GetWithETagAsync(client, ProfileUri(accountId));

        Assert.Multiple(() =>
        {
            Assert.That(etag, Does.Match("^\"[0-9]+\"$"));
            Assert.That(body["companyName"]!.GetValue<string>(), Is.EqualTo(account["legalName"]!.GetValue<string>()));
            Assert.That(body["address"]!["addressLine1"]!.GetValue<string>(), Is.EqualTo("1 Main St"));
            Assert.That(body["address"]!["state"]!.GetValue<string>(), Is.EqualTo("WA"));
            Assert.That(body["address"]!["country"]!.GetValue<string>(), Is.EqualTo("US"));
            Assert.That(body["primaryContact"]!["email"]!.GetValue<string>(), Is.EqualTo("pat@fabrikam.example"));
            Assert.That(body["primaryContact"]!["phoneNumber"]!.GetValue<string>(), Is.EqualTo("+1 206 555 0100"));
            Assert.That(JsonNode.DeepEquals(body["companyApprover"], body["primaryContact"]), Is.True, "the founder's contact is the first approver");
        });
    }

    [Test]
    public async Task GetLegalBusinessProfile_WhenIfNoneMatchIsTheCurrentETag_ShouldReturn304()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(client, ProfileUri(accountId));

        using var request = new HttpRequestMessage(HttpMethod.Get, ProfileUri(accountId));
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo(etag));
    }

    [Test]
    public async Task PutLegalBusinessProfile_WithCurrentETag_ShouldReplaceItAndReturnTheNewETag()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (_, etag) = await GetWithETagAsync(client, ProfileUri(accountId));

        using var put = await PutAsync(client, accountId, ValidBody(
            "Northwind Traders Ltd",
            new { addressLine1 = "5 Harbour Rd", addressLine2 = "Unit 2", city = "Dublin", postalCode = "D02 X285", country = "IE" }), etag);

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        Assert.That(put.Headers.ETag!.Tag, Is.Not.EqualTo(etag));
        var (read, readETag) = await GetWithETagAsync(client, ProfileUri(accountId));
        Assert.Multiple(() =>
        {
            Assert.That(readETag, Is.EqualTo(put.Headers.ETag.Tag));
            Assert.That(read["companyName"]!.GetValue<string>(), Is.EqualTo("Northwind Traders Ltd"));
            Assert.That(read["address"]!["addressLine2"]!.GetValue<string>(), Is.EqualTo("Unit 2"));
            Assert.That(read["address"]!["state"], Is.Null);
            Assert.That(read["address"]!["country"]!.GetValue<string>(), Is.EqualTo("IE"));
            Assert.That(read["primaryContact"]!["email"]!.GetValue<string>(), Is.EqualTo("jane@northwind.example"));
            Assert.That(read["companyApprover"]!["firstName"]!.GetValue<string>(), Is.EqualTo("John"));
            Assert.That(read["companyApprover"]!["phoneNumber"], Is.Null);
        });
    }

    [Test]
    public async Task PutLegalBusinessProfile_WhenIfMatchIsMissing_ShouldReturn428AndChangeNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (before, etag) = await GetWithETagAsync(client, ProfileUri(accountId));

        using var put = await PutAsync(client, accountId, ValidBody(), ifMatch: null);

        await AssertProblemAsync(put, (HttpStatusCode)428, "if_match_required");
        var (after, afterETag) = await GetWithETagAsync(client, ProfileUri(accountId));
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task PutLegalBusinessProfile_WhenETagIsStale_ShouldReturn412AndChangeNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (_, original) = await GetWithETagAsync(client, ProfileUri(accountId));
        await ReplaceAsync(client, accountId, ValidBody("First Rename Ltd"));
        var (before, current) = await GetWithETagAsync(client, ProfileUri(accountId));

        using var put = await PutAsync(client, accountId, ValidBody("Second Rename Ltd"), original);

        await AssertProblemAsync(put, HttpStatusCode.PreconditionFailed, "etag_mismatch");
        var (after, afterETag) = await GetWithETagAsync(client, ProfileUri(accountId));
        Assert.That(afterETag, Is.EqualTo(current));
        Assert.That(after["companyName"]!.GetValue<string>(), Is.EqualTo("First Rename Ltd"));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task PutLegalBusinessProfile_WhenFieldsAreInvalid_ShouldReturn400ListingEveryFieldAndChangeNothing()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (before, etag) = await GetWithETagAsync(client, ProfileUri(accountId));
        var body = new
        {
            companyName = " ",
            address = new { addressLine1 = "1 Main St", city = "", postalCode = "98101", country = "XX" },
            primaryContact = new { firstName = "Jane", lastName = "", email = "jane-at-northwind", phoneNumber = "12" },
        };

        using var put = await PutAsync(client, accountId, body, etag);

        var problem = await AssertProblemAsync(put, HttpStatusCode.BadRequest, "validation_failed");
        Assert.That(FieldErrors(problem), Is.EquivalentTo(new[]
        {
            "companyName", "address.city", "address.country", "primaryContact.lastName", "primaryContact.email", "primaryContact.phoneNumber", "companyApprover",
        }));
        var (after, afterETag) = await GetWithETagAsync(client, ProfileUri(accountId));
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task LegalBusinessProfile_WhenCallerIsNotAMember_ShouldReturn404ForGetAndPut()
    {
        var (owner, accountId, _) = await NewAdminWithAccountAsync();
        var (before, etag) = await GetWithETagAsync(owner, ProfileUri(accountId));
        using var stranger = As(NewEmail("stranger"));

        using var get = await stranger.GetAsync(new Uri(ProfileUri(accountId), UriKind.Relative));
        using var put = await PutAsync(stranger, accountId, ValidBody("Hijacked Ltd"), etag);

        await AssertProblemAsync(get, HttpStatusCode.NotFound, "account_not_found");
        await AssertProblemAsync(put, HttpStatusCode.NotFound, "account_not_found");
        var (after, _) = await GetWithETagAsync(owner, ProfileUri(accountId));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task LegalBusinessProfile_WhenCallerIsOperator_ShouldReadButGet403OnPut()
    {
        var (owner, accountId, _) = await NewAdminWithAccountAsync();
        var (before, etag) = await GetWithETagAsync(owner, ProfileUri(accountId));
        using var op = AsOperator();

        var (seen, _) = await GetWithETagAsync(op, ProfileUri(accountId));
        using var put = await PutAsync(op, accountId, ValidBody("Operator Rename Ltd"), etag);

        Assert.That(JsonNode.DeepEquals(seen, before), Is.True);
        await AssertProblemAsync(put, HttpStatusCode.Forbidden, "permission_denied");
        var (after, afterETag) = await GetWithETagAsync(owner, ProfileUri(accountId));
        Assert.That(afterETag, Is.EqualTo(etag));
        Assert.That(JsonNode.DeepEquals(before, after), Is.True);
    }

    [Test]
    public async Task PutLegalBusinessProfile_WhenLegalNameChangesOnAVerifiedAccount_ShouldPutVerificationBackToPending()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        await VerifyAsync(accountId);
        Assert.That(await VerificationStatusAsync(client, accountId), Is.EqualTo("verified"));

        await ReplaceAsync(client, accountId, ValidBody("Renamed Legal Entity Ltd"));

        Assert.That(await VerificationStatusAsync(client, accountId), Is.EqualTo("pending"));
        using var summary = await client.GetAsync(new Uri($"/v1/accounts/{accountId}", UriKind.Relative));
        var account = await ReadJsonAsync(summary);
        Assert.Multiple(() =>
        {
            Assert.That(account["legalName"]!.GetValue<string>(), Is.EqualTo("Renamed Legal Entity Ltd"));
            Assert.That(account["verificationStatus"]!.GetValue<string>(), Is.EqualTo("pending"));
        });
        var restarts = await AuditLog.ReadAsync(accountId, "verification");
        Assert.That(restarts.Select(r => r.Action), Is.EqualTo(new[] { "verificationDecided", "verificationRestarted" }));
    }

    [Test]
    public async Task PutLegalBusinessProfile_WhenAddressChangesOnAVerifiedAccount_ShouldPutVerificationBackToPending()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        await VerifyAsync(accountId);

        await ReplaceAsync(client, accountId, ValidBody(
            account["legalName"]!.GetValue<string>(),
            new { addressLine1 = "2 Main St", city = "Seattle", state = "WA", postalCode = "98101", country = "US" },
            new { firstName = "Pat", lastName = "Lee", email = "pat@fabrikam.example", phoneNumber = "+1 206 555 0100" }));

        Assert.That(await VerificationStatusAsync(client, accountId), Is.EqualTo("pending"));
    }

    [Test]
    public async Task PutLegalBusinessProfile_WhenOnlyTheContactsChange_ShouldKeepTheAccountVerified()
    {
        var (client, accountId, account) = await NewAdminWithAccountAsync();
        await VerifyAsync(accountId);
        var (_, verificationETag) = await GetWithETagAsync(client, $"/v1/accounts/{accountId}/verification");

        await ReplaceAsync(client, accountId, ValidBody(
            account["legalName"]!.GetValue<string>(),
            primaryContact: Contact("Someone", "someone.else@fabrikam.example", "+1 206 555 0111")));

        var (profile, _) = await GetWithETagAsync(client, ProfileUri(accountId));
        Assert.That(profile["primaryContact"]!["email"]!.GetValue<string>(), Is.EqualTo("someone.else@fabrikam.example"));
        var (verification, afterETag) = await GetWithETagAsync(client, $"/v1/accounts/{accountId}/verification");
        Assert.That(verification["status"]!.GetValue<string>(), Is.EqualTo("verified"));
        Assert.That(afterETag, Is.EqualTo(verificationETag));
        var records = await AuditLog.ReadAsync(accountId, "verification");
        Assert.That(records.Select(r => r.Action), Is.EqualTo(new[] { "verificationDecided" }));
    }

    [Test]
    public async Task PutLegalBusinessProfile_WhenItChanges_ShouldRecordAnAuditEntryWithBeforeAndAfter()
    {
        var (client, accountId, _) = await NewAdminWithAccountAsync();
        var (before, _) = await GetWithETagAsync(client, ProfileUri(accountId));

        await ReplaceAsync(client, accountId, ValidBody("Audited Ltd"));

        var (after, _) = await GetWithETagAsync(client, ProfileUri(accountId));
        var records = await AuditLog.ReadAsync(accountId, "profiles/legalbusiness");
        Assert.That(records, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(records[0].Action, Is.EqualTo("updated"));
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(records[0].Before!), before), Is.True, records[0].Before);
            Assert.That(JsonNode.DeepEquals(JsonNode.Parse(records[0].After!), after), Is.True, records[0].After);
        });
    }
}
