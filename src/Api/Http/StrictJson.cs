using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerAccounts.Api.Http;

/// <summary>
/// Request bodies mean exactly one thing: a property named twice (in any letter case, at any depth) is 400
/// <c>duplicate_property</c>, a property the schema does not define (the document says <c>additionalProperties: false</c>)
/// is 400 <c>unknown_property</c>. System.Text.Json refuses both while binding, before any use case runs, so nothing changes.
/// </summary>
public static class StrictJson
{
    public const string DuplicateProperty = "duplicate_property";
    public const string UnknownProperty = "unknown_property";

    /// <summary>
    /// With the web defaults names match case-insensitively, so <c>"roles"</c> and <c>"Roles"</c> bind to one property and the
    /// second is refused as a duplicate.
    /// </summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.AllowDuplicateProperties = false;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    /// <summary>
    /// The problem code of a body System.Text.Json refused. It throws a plain <see cref="JsonException"/> for both refusals and
    /// offers no error code, so the kind is told from its message (the serializer's own invariant resource text);
    /// StrictJsonTests pins it, so a serializer that words them differently fails the build's tests, not clients.
    /// </summary>
    public static string CodeOf(JsonException exception) => exception.Message switch
    {
        var m when m.StartsWith("Duplicate property ", StringComparison.Ordinal) => DuplicateProperty,
        var m when m.Contains(" could not be mapped to any .NET member", StringComparison.Ordinal) => UnknownProperty,
        _ => "malformed_request",
    };

    public static string MessageOf(string code) => code switch
    {
        DuplicateProperty => "The property is given more than once (names are compared ignoring letter case).",
        UnknownProperty => "The property is not defined for this request; remove it.",
        _ => "The value is missing, of the wrong type or not one of the allowed values.",
    };
}
