using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Tests.PartnerCenter;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Http;

/// <summary>
/// Partner Center's .NET SDK, pointed at this service with only the base URL and the token changed, by the rules of
/// <see cref="PartnerCenterSdkClient"/>: every compatible route, its errors and its 429.
/// </summary>
public sealed class PartnerCenterSdkTests : ApiTest
{
    private WebApplicationFactory<Program> _limitedNode = null!;

    [OneTimeSetUp]
    public void StartLimitedNode() => _limitedNode = Factory.WithWebHostBuilder(b => b
        .UseSetting("MpnVerification:Budgets:HitsPerWindow", "1")
        .UseSetting("MpnVerification:Budgets:WindowSeconds", "60"));

    [OneTimeTearDown]
    public async Task StopLimitedNodeAsync() => await _limitedNode.DisposeAsync();

    private static PartnerCenterSdkClient Sdk(string email, WebApplicationFactory<Program>? node = null) =>
        new((node ?? Factory).CreateClient(), Authentication.CreateToken(Factory.Configuration, email, false, TimeSpan.FromMinutes(10)));

    private static async Task<(string Email, Guid AccountId, JsonObject Account, PartnerCenterSdkClient Sdk)> NewPartnerAsync(string? legalName = null)
    {
        var email = NewEmail("sdk");
        var account = await CreateAccountAsync(As(email), legalName);
        return (email, account["id"]!.GetValue<Guid>(), account, Sdk(email));
    }

    [Test]
    public async Task MpnProfileGet_WithoutMpnId_ShouldReturnTheCallersOwnMpnProfile()
    {
        var legalName = "Sdk Own " + Guid.NewGuid().ToString("N")[..8];
        var (_, _, account, sdk) = await NewPartnerAsync(legalName);

        var profile = await sdk.GetMpnProfileAsync();

        Assert.Multiple(() =>
        {
            Assert.That(profile.MpnId, Is.EqualTo(account["mpnId"]!.GetValue<string>()));
            Assert.That(profile.PartnerName, Is.EqualTo(legalName));
            Assert.That(profile.Attributes.ObjectType, Is.EqualTo("MpnProfile"));
            Assert.That(profile.Links?.Self?.Uri.ToString(), Is.EqualTo("/v1/profiles/mpn"));
            Assert.That(profile.Links?.Self?.Method, Is.EqualTo("GET"));
        });
    }

    [Test]
    public async Task MpnProfileGet_WithAnMpnId_ShouldVerifyItAsBefore()
    {
        var legalName = "Sdk Verify " + Guid.NewGuid().ToString("N")[..8];
        var (_, _, account, _) = await NewPartnerAsync(legalName);
        var (_, _, _, stranger) = await NewPartnerAsync();

        var profile = await stranger.GetMpnProfileAsync(account["mpnId"]!.GetValue<string>());

        Assert.That(profile.PartnerName, Is.EqualTo(legalName));
    }

    [Test]
    public async Task Requests_WithTheSdksHeaders_ShouldBeAnsweredAndEchoTheRequestAndCorrelationIds()
    {
        var (_, _, _, sdk) = await NewPartnerAsync();

        await sdk.GetSupportProfileAsync();

        var sentRequestId = sdk.LastRequest!.Headers.GetValues("MS-RequestId").Single();
        Assert.Multiple(() =>
        {
            Assert.That(sdk.LastResponseHeaders!.GetValues("MS-RequestId").Single(), Is.EqualTo(sentRequestId));
            Assert.That(sdk.LastResponseHeaders!.GetValues("MS-CorrelationId").Single(), Is.EqualTo(sdk.CorrelationId.ToString()));
            Assert.That(sdk.LastRequest.Headers.GetValues("X-Locale").Single(), Is.EqualTo(PartnerCenterSdkClient.Locale));
        });
    }

    [Test]
    public async Task LegalBusinessProfileGetThenUpdate_AsTheSdkDoesIt_ShouldReplaceTheProfileOnTheBodysETag()
    {
        var (_, accountId, _, sdk) = await NewPartnerAsync();
        var profile = await sdk.GetLegalBusinessProfileAsync();
        Assert.That(profile.Attributes.Etag, Is.Not.Null.And.Not.Empty, "attributes.etag is read into the SDK's read-only Attributes");
        Assert.That(profile.Attributes.ObjectType, Is.EqualTo("LegalBusinessProfile"));
        Assert.That(profile.Links?.Self?.Uri.ToString(), Is.EqualTo("/v1/profiles/legalbusiness"));

        profile.PrimaryContact!.PhoneNumber = "+1 425 555 0110";
        profile.CompanyApproverAddress!.FirstName = "Ada";
        var updated = await sdk.UpdateLegalBusinessProfileAsync(profile);

        Assert.Multiple(() =>
        {
            Assert.That(updated.PrimaryContact!.PhoneNumber, Is.EqualTo("+1 425 555 0110"));
            Assert.That(updated.CompanyApproverAddress!.FirstName, Is.EqualTo("Ada"));
            Assert.That(updated.Attributes.Etag, Is.Not.EqualTo(profile.Attributes.Etag));
        });
        var onAccountRoute = await As(NewEmail("x")).GetAsync($"/v1/accounts/{accountId}/profiles/legalbusiness");
        Assert.That(onAccountRoute.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a stranger still sees nothing");
    }

    [Test]
    public async Task LegalBusinessProfileUpdate_WhenTheBodysETagIsStale_ShouldThrowTheFaultWithCodeDescriptionAndData()
    {
        var (_, _, _, sdk) = await NewPartnerAsync();
        var first = await sdk.GetLegalBusinessProfileAsync();
        var second = await sdk.GetLegalBusinessProfileAsync();
        await sdk.UpdateLegalBusinessProfileAsync(first);

        var error = Assert.ThrowsAsync<SdkPartnerException>(() => sdk.UpdateLegalBusinessProfileAsync(second))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.PreconditionFailed), error.Payload);
            Assert.That(error.ServiceErrorPayload?.ErrorCode, Is.EqualTo("etag_mismatch"), error.Payload);
            Assert.That(error.ServiceErrorPayload?.ErrorMessage, Is.Not.Null.And.Not.Empty, error.Payload);
            Assert.That(error.ServiceErrorPayload?.ErrorData, Is.Not.Null.And.Empty, error.Payload);
        });
    }

    [Test]
    public async Task SupportProfileUpdate_WhenTheEmailIsInvalid_ShouldThrowTheFaultWithTheFieldMessagesInData()
    {
        var (_, _, _, sdk) = await NewPartnerAsync();
        var profile = await sdk.GetSupportProfileAsync();
        profile.Email = "not an email";

        var error = Assert.ThrowsAsync<SdkPartnerException>(() => sdk.UpdateSupportProfileAsync(profile))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.BadRequest), error.Payload);
            Assert.That(error.ServiceErrorPayload?.ErrorCode, Is.EqualTo("validation_failed"), error.Payload);
            Assert.That(error.ServiceErrorPayload?.ErrorMessage, Is.Not.Null.And.Not.Empty);
            Assert.That(error.ServiceErrorPayload?.ErrorData?.Select(d => d.ToString()), Has.Some.Contains("Email"), error.Payload);
        });
    }

    [Test]
    public async Task SupportProfileGetThenUpdate_AsTheSdkDoesIt_ShouldReplaceEmailTelephoneAndWebsite()
    {
        var (_, _, _, sdk) = await NewPartnerAsync();
        var profile = await sdk.GetSupportProfileAsync();
        profile.Email = "help@fabrikam.example";
        profile.Telephone = "+1 206 555 0199";
        profile.Website = "https://fabrikam.example/support";

        var updated = await sdk.UpdateSupportProfileAsync(profile);
        var reread = await sdk.GetSupportProfileAsync();

        Assert.Multiple(() =>
        {
            Assert.That(reread.Email, Is.EqualTo("help@fabrikam.example"));
            Assert.That(reread.Telephone, Is.EqualTo("+1 206 555 0199"));
            Assert.That(reread.Website, Is.EqualTo("https://fabrikam.example/support"));
            Assert.That(reread.Attributes.Etag, Is.EqualTo(updated.Attributes.Etag));
            Assert.That(reread.Attributes.ObjectType, Is.EqualTo("SupportProfile"));
        });
    }

    [Test]
    public async Task OrganizationProfileGet_ShouldReturnTheOrganizationProfileOfTheCallersAccount()
    {
        var (_, accountId, _, sdk) = await NewPartnerAsync();

        var profile = await sdk.GetOrganizationProfileAsync();

        Assert.Multiple(() =>
        {
            Assert.That(profile.Id, Is.EqualTo(accountId.ToString()));
            Assert.That(profile.CompanyName, Is.Not.Null.And.Not.Empty);
            Assert.That(profile.DefaultAddress?.Country, Is.EqualTo("US"));
            Assert.That(profile.Email, Is.Not.Null.And.Not.Empty);
            Assert.That(profile.Attributes.ObjectType, Is.EqualTo("OrganizationProfile"));
            Assert.That(profile.Attributes.Etag, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public async Task BillingProfileGetThenUpdate_AsTheSdkDoesIt_ShouldKeepTheBankInformationAndShowItMasked()
    {
        var (email, accountId, _, sdk) = await NewPartnerAsync();
        var admin = As(email);
        var (billing, etag) = await GetWithETagAsync(admin, $"/v1/accounts/{accountId}/profiles/billing");
        billing["bankInformation"] = new JsonObject { ["accountHolderName"] = "Fabrikam Ltd", ["iban"] = "GB82WEST12345698765432" };
        using (var put = await admin.SendAsync(Json(HttpMethod.Put, $"/v1/accounts/{accountId}/profiles/billing", billing.ToJsonString(), etag)))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        }

        var profile = await sdk.GetBillingProfileAsync();
        profile.PurchaseOrderNumber = "PO-SDK-1";
        var updated = await sdk.UpdateBillingProfileAsync(profile);

        Assert.That(updated.PurchaseOrderNumber, Is.EqualTo("PO-SDK-1"));
        using var reread = await admin.GetAsync($"/v1/accounts/{accountId}/profiles/billing");
        var text = await reread.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.Parse(text)!["bankInformation"]?["ibanLast4"]?.GetValue<string>(), Is.EqualTo("5432"), "the SDK's update kept the bank information");
            Assert.That(text, Does.Not.Contain("GB82WEST12345698765432"));
        });
    }

    [Test]
    public async Task MpnProfileGet_PastTheRateLimit_ShouldThrowWithRetryAfterAndNoFault()
    {
        var (_, _, account, _) = await NewPartnerAsync();
        var mpnId = account["mpnId"]!.GetValue<string>();
        var sdk = Sdk(NewEmail("limited"), _limitedNode);
        await sdk.GetMpnProfileAsync(mpnId);

        var error = Assert.ThrowsAsync<SdkPartnerException>(() => sdk.GetMpnProfileAsync(mpnId))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.TooManyRequests), error.Payload);
            Assert.That(error.ServiceErrorPayload, Is.Null, "not a fault, or the SDK would not read Retry-After");
            Assert.That(error.RetryAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(60)), error.Payload);
            Assert.That(error.Payload, Does.Contain("\"statusCode\":429").And.Contain("Rate limit is exceeded. Try again in "));
        });
    }

    [Test]
    public async Task AnyRoute_WhenNotFound_ShouldGiveTheSdkAFaultWithDescription()
    {
        var sdk = Sdk(NewEmail("nobody"));

        var error = Assert.ThrowsAsync<SdkPartnerException>(() => sdk.GetLegalBusinessProfileAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(HttpStatusCode.NotFound), error.Payload);
            Assert.That(error.ServiceErrorPayload?.ErrorCode, Is.EqualTo("account_not_found"));
            Assert.That(error.ServiceErrorPayload?.ErrorMessage, Is.Not.Null.And.Not.Empty);
            Assert.That(error.ServiceErrorPayload?.ErrorData, Is.Not.Null.And.Empty);
        });
    }
}
