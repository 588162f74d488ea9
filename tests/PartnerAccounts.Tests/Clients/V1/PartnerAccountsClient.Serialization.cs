using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerAccounts.Tests.Clients.V1;

/// <summary>
/// NSwag's extension point, used the way a consuming team would: the API sends enums as camelCase strings, and NSwag puts a
/// string converter only on single enum properties, not on lists of enums (e.g. <c>settingsAreas</c>).
/// </summary>
public partial class PartnerAccountsClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        settings.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
}
