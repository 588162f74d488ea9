namespace PartnerAccounts.Api.Contracts;

/// <summary>
/// The limits of each string in a list property, for the OpenAPI document (DataAnnotations only bound the list itself).
/// Like the other annotations on contracts it documents what the Application validators enforce.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class ItemLimitsAttribute(int maxLength) : Attribute
{
    public int MaxLength { get; } = maxLength;

    public int MinLength { get; init; }

    /// <summary>A regular expression each item matches, or null.</summary>
    public string? Pattern { get; init; }
}
