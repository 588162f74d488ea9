using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// Reads JSON strings and refuses any holding U+0000: no field of the API means one, and PostgreSQL text cannot store it, so it
/// would otherwise fail the write with a 500. The refusal is a <see cref="JsonException"/>, which becomes 400
/// <c>malformed_request</c> naming the field. Writing is unchanged.
/// </summary>
public sealed class NulRejectingStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal)
            ? throw new JsonException("A string holds a NUL character.")
            : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
