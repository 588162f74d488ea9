using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;

namespace PartnerAccounts.Tests.PartnerCenter;

// A client that talks to the service by the rules of Partner Center's .NET SDK (Microsoft.Store.PartnerCenter, read from
// microsoft/partner-center-sdk-for-dotNET; none of its code is copied here):
// - PartnerServiceHttpMessageHandler.InjectHeaders: Authorization Bearer, Accept application/json, MS-RequestId and
//   MS-CorrelationId (GUIDs), X-Locale, MS-PartnerCenter-Client, MS-SdkVersion; Content-Type application/json on bodies;
//   If-Match only when a caller sets PartnerServiceProxy.IfMatch, which the profile operations never do.
// - PartnerServiceProxy: path "/v1/" + the resource path (PartnerSdkConfiguration.json: profiles/mpn, profiles/mpn?mpnId=,
//   profiles/legalbusiness?vettingVersion=Current, profiles/organization, profiles/support, profiles/billing); bodies written
//   and read by Newtonsoft.Json with a DefaultContractResolver (PascalCase names, nulls written, reading case-insensitive,
//   read-only members such as Attributes populated in place), CheckAdditionalContent.
// - DefaultPartnerServiceErrorHandler: a failed answer is parsed into ApiFault (code, description, data); when any of them is
//   set the exception carries the fault, otherwise a 429 carries Retry-After's delta as RetryAfter.

/// <summary>What the SDK throws: <c>PartnerException</c> with its <c>ServiceErrorPayload</c> (the fault) or <c>RetryAfter</c>.</summary>
public sealed class SdkPartnerException(HttpStatusCode status, SdkApiFault? fault, TimeSpan? retryAfter, string payload)
    : Exception(fault is null ? payload : $"{fault.ErrorCode}: {fault.ErrorMessage}")
{
    public HttpStatusCode Status { get; } = status;

    public SdkApiFault? ServiceErrorPayload { get; } = fault;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string Payload { get; } = payload;
}

public sealed class PartnerCenterSdkClient(HttpClient http, string bearerToken)
{
    public const string Locale = "en-US";

    private static readonly JsonSerializerSettings Settings = new() { CheckAdditionalContent = true };

    /// <summary>The last request's headers as sent, for the tests of what the SDK sends.</summary>
    public HttpRequestMessage? LastRequest { get; private set; }

    public Guid CorrelationId { get; } = Guid.NewGuid();

    public Task<SdkMpnProfile> GetMpnProfileAsync() => SendAsync<SdkMpnProfile>(HttpMethod.Get, "profiles/mpn", null);

    public Task<SdkMpnProfile> GetMpnProfileAsync(string mpnId) => SendAsync<SdkMpnProfile>(HttpMethod.Get, "profiles/mpn?mpnId=" + mpnId, null);

    public Task<SdkLegalBusinessProfile> GetLegalBusinessProfileAsync() =>
        SendAsync<SdkLegalBusinessProfile>(HttpMethod.Get, "profiles/legalbusiness?vettingVersion=Current", null);

    public Task<SdkLegalBusinessProfile> UpdateLegalBusinessProfileAsync(SdkLegalBusinessProfile profile) =>
        SendAsync<SdkLegalBusinessProfile>(HttpMethod.Put, "profiles/legalbusiness", profile);

    public Task<SdkOrganizationProfile> GetOrganizationProfileAsync() => SendAsync<SdkOrganizationProfile>(HttpMethod.Get, "profiles/organization", null);

    public Task<SdkSupportProfile> GetSupportProfileAsync() => SendAsync<SdkSupportProfile>(HttpMethod.Get, "profiles/support", null);

    public Task<SdkSupportProfile> UpdateSupportProfileAsync(SdkSupportProfile profile) => SendAsync<SdkSupportProfile>(HttpMethod.Put, "profiles/support", profile);

    public Task<SdkBillingProfile> GetBillingProfileAsync() => SendAsync<SdkBillingProfile>(HttpMethod.Get, "profiles/billing", null);

    public Task<SdkBillingProfile> UpdateBillingProfileAsync(SdkBillingProfile profile) => SendAsync<SdkBillingProfile>(HttpMethod.Put, "profiles/billing", profile);

    /// <summary>The JSON the SDK would send for <paramref name="body"/>.</summary>
    public static string Serialize(object body) => JsonConvert.SerializeObject(body, Settings);

    private async Task<T> SendAsync<T>(HttpMethod method, string resourcePath, object? body)
    {
        var request = new HttpRequestMessage(method, "/v1/" + resourcePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("MS-RequestId", Guid.NewGuid().ToString());
        request.Headers.Add("MS-CorrelationId", CorrelationId.ToString());
        request.Headers.Add("X-Locale", Locale);
        request.Headers.Add("MS-PartnerCenter-Client", "Partner Center .NET SDK");
        request.Headers.Add("MS-SdkVersion", "3.4.0.0");
        if (body is not null)
        {
            request.Content = new StringContent(Serialize(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        LastRequest = request;
        using var response = await http.SendAsync(request);
        var payload = await response.Content.ReadAsStringAsync();
        LastResponseHeaders = response.Headers;
        if (response.IsSuccessStatusCode)
        {
            return JsonConvert.DeserializeObject<T>(payload, Settings) ?? throw new InvalidOperationException("empty answer");
        }

        throw HandleFailedResponse(response, payload);
    }

    public HttpResponseHeaders? LastResponseHeaders { get; private set; }

    private static SdkPartnerException HandleFailedResponse(HttpResponseMessage response, string payload)
    {
        SdkApiFault? fault = null;
        try
        {
            fault = JsonConvert.DeserializeObject<SdkApiFault>(payload);
        }
        catch (JsonException)
        {
            // The SDK logs and goes on without a fault.
        }

        if (!string.IsNullOrEmpty(fault?.ErrorCode) || !string.IsNullOrEmpty(fault?.ErrorMessage) || fault?.ErrorData is not null)
        {
            return new SdkPartnerException(response.StatusCode, fault, null, payload);
        }

        return new SdkPartnerException(
            response.StatusCode, null, response.StatusCode == HttpStatusCode.TooManyRequests ? response.Headers.RetryAfter?.Delta : null, payload);
    }
}

// The SDK's models, by their JSON names (C# property names under Newtonsoft's default resolver).

public sealed class SdkApiFault
{
    [JsonProperty("code")]
    public string? ErrorCode { get; set; }

    [JsonProperty("description")]
    public string? ErrorMessage { get; set; }

    [JsonProperty("data", NullValueHandling = NullValueHandling.Ignore)]
    public IEnumerable<object>? ErrorData { get; set; }
}

public sealed class SdkResourceAttributes
{
    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public string? Etag { get; set; }

    public string? ObjectType { get; set; }
}

public sealed class SdkLink
{
    [JsonConstructor]
    public SdkLink(Uri uri, string method, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        Uri = uri;
        Method = method;
        Headers = headers ?? [];
    }

    public Uri Uri { get; private set; }

    public string Method { get; private set; }

    public IEnumerable<KeyValuePair<string, string>> Headers { get; private set; }
}

public sealed class SdkStandardResourceLinks
{
    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public SdkLink? Self { get; set; }
}

/// <summary>ResourceBaseWithLinks&lt;StandardResourceLinks&gt;: <c>Attributes</c> has no setter and is filled in place, as in the SDK.</summary>
public abstract class SdkResource(string objectType)
{
    public SdkResourceAttributes Attributes { get; } = new() { ObjectType = objectType };

    [JsonProperty(NullValueHandling = NullValueHandling.Ignore)]
    public SdkStandardResourceLinks? Links { get; set; }
}

public sealed class SdkAddress
{
    public string? Country { get; set; }

    public string? Region { get; set; }

    public string? City { get; set; }

    public string? State { get; set; }

    public string? AddressLine1 { get; set; }

    public string? AddressLine2 { get; set; }

    public string? PostalCode { get; set; }

    public string? FirstName { get; set; }

    public string? MiddleName { get; set; }

    public string? LastName { get; set; }

    public string? PhoneNumber { get; set; }
}

public sealed class SdkContact
{
    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }

    public string? PhoneNumber { get; set; }
}

public sealed class SdkMpnProfile() : SdkResource("MpnProfile")
{
    public string? PartnerName { get; set; }

    public string? MpnId { get; set; }
}

public sealed class SdkLegalBusinessProfile() : SdkResource("LegalBusinessProfile")
{
    public string? CompanyName { get; set; }

    public SdkAddress? Address { get; set; } = new();

    public SdkContact? PrimaryContact { get; set; } = new();

    public SdkAddress? CompanyApproverAddress { get; set; } = new();

    public string? CompanyApproverEmail { get; set; }

    /// <summary>The SDK's VettingStatus enum, written by its EnumJsonConverter as a lower-case name (the default is <c>none</c>).</summary>
    public string VettingStatus { get; set; } = "none";

    public string VettingSubStatus { get; set; } = "none";
}

public sealed class SdkOrganizationProfile() : SdkResource("OrganizationProfile")
{
    public string? Id { get; set; }

    public string? CompanyName { get; set; }

    public SdkAddress? DefaultAddress { get; set; } = new();

    public string? TenantId { get; set; }

    public string? Domain { get; set; }

    public string? Email { get; set; }

    public string? Language { get; set; }

    public string? Culture { get; set; }
}

public sealed class SdkSupportProfile() : SdkResource("SupportProfile")
{
    public string? Email { get; set; }

    public string? Telephone { get; set; }

    public string? Website { get; set; }
}

public sealed class SdkBillingProfile() : SdkResource("BillingProfile")
{
    public string? CompanyName { get; set; }

    public SdkAddress? Address { get; set; } = new();

    public SdkContact? PrimaryContact { get; set; } = new();

    public string? PurchaseOrderNumber { get; set; }

    public string? TaxId { get; set; }

    public int? BillingDay { get; set; }

    public string? BillingCurrency { get; set; }
}
