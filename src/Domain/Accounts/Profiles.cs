using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Accounts;

/// <summary>Base of the one-per-account profiles: keyed by the account id, versioned for ETags.</summary>
public abstract class AccountProfile
{
    public Guid AccountId { get; protected set; }

    public int Version { get; protected set; } = 1;

    public DateTime UpdatedAt { get; protected set; }

    protected void Touch(DateTime now)
    {
        UpdatedAt = now;
        Version++;
    }
}

public sealed class LegalBusinessProfile : AccountProfile
{
    private LegalBusinessProfile()
    {
        CompanyName = string.Empty;
        Address = null!;
        PrimaryContact = null!;
        CompanyApprover = null!;
    }

    public string CompanyName { get; private set; }

    public Address Address { get; private set; }

    public Contact PrimaryContact { get; private set; }

    public Contact CompanyApprover { get; private set; }

    public static LegalBusinessProfile Create(Guid accountId, string companyName, Address address, Contact primaryContact, Contact companyApprover, DateTime now) => new()
    {
        AccountId = accountId,
        CompanyName = companyName,
        Address = address,
        PrimaryContact = primaryContact,
        CompanyApprover = companyApprover,
        UpdatedAt = now,
    };

    /// <summary>Replaces the profile; returns whether the legal identity (name or address) changed, which restarts verification.</summary>
    public bool Replace(string companyName, Address address, Contact primaryContact, Contact companyApprover, DateTime now)
    {
        var identityChanged = !string.Equals(CompanyName, companyName, StringComparison.Ordinal) || Address != address;
        CompanyName = companyName;
        Address = address;
        PrimaryContact = primaryContact;
        CompanyApprover = companyApprover;
        Touch(now);
        return identityChanged;
    }
}

public sealed class OrganizationProfile : AccountProfile
{
    private OrganizationProfile()
    {
        CompanyName = string.Empty;
        Email = string.Empty;
        Language = string.Empty;
        Culture = string.Empty;
        Address = null!;
    }

    public string CompanyName { get; private set; }

    public string Email { get; private set; }

    public string Language { get; private set; }

    public string Culture { get; private set; }

    public Address Address { get; private set; }

    public static OrganizationProfile Create(Guid accountId, string companyName, string email, string language, string culture, Address address, DateTime now) => new()
    {
        AccountId = accountId,
        CompanyName = companyName,
        Email = email,
        Language = language,
        Culture = culture,
        Address = address,
        UpdatedAt = now,
    };

    public void Replace(string companyName, string email, string language, string culture, Address address, DateTime now)
    {
        CompanyName = companyName;
        Email = email;
        Language = language;
        Culture = culture;
        Address = address;
        Touch(now);
    }
}

public sealed class SupportProfile : AccountProfile
{
    private SupportProfile()
    {
    }

    public string? Email { get; private set; }

    public string? PhoneNumber { get; private set; }

    public string? Website { get; private set; }

    public static SupportProfile Create(Guid accountId, string? email, DateTime now) => new()
    {
        AccountId = accountId,
        Email = email,
        UpdatedAt = now,
    };

    public Result<Success> Replace(string? email, string? phoneNumber, string? website, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrWhiteSpace(phoneNumber) && string.IsNullOrWhiteSpace(website))
        {
            return Error.Validation(
                "support_channel_required",
                "At least one support channel (email, phone number or website) is required.",
                new Dictionary<string, string[]> { ["email"] = ["Give at least one of email, phoneNumber or website."] });
        }

        Email = email;
        PhoneNumber = phoneNumber;
        Website = website;
        Touch(now);
        return Success.Value;
    }
}

/// <summary>Bank information as stored: the account numbers only in protected (encrypted) form plus their last four digits.</summary>
public sealed record StoredBankInformation(
    string AccountHolderName,
    string? ProtectedIban,
    string? RoutingNumber,
    string? ProtectedAccountNumber,
    string? SwiftBic,
    string Last4);

public sealed class BillingProfile : AccountProfile
{
    private BillingProfile()
    {
        Address = null!;
    }

    public Address Address { get; private set; }

    public string? PurchaseOrderNumber { get; private set; }

    public string? TaxId { get; private set; }

    public StoredBankInformation? BankInformation { get; private set; }

    public static BillingProfile Create(Guid accountId, Address address, DateTime now) => new()
    {
        AccountId = accountId,
        Address = address,
        UpdatedAt = now,
    };

    public void Replace(Address address, string? purchaseOrderNumber, string? taxId, StoredBankInformation? bankInformation, DateTime now)
    {
        Address = address;
        PurchaseOrderNumber = purchaseOrderNumber;
        TaxId = taxId;
        BankInformation = bankInformation;
        Touch(now);
    }
}

public sealed class BusinessProfile : AccountProfile
{
    private BusinessProfile()
    {
    }

    public string? Description { get; private set; }

    public string? Website { get; private set; }

    public List<string> Industries { get; private set; } = [];

    public List<string> Products { get; private set; } = [];

    public List<string> Services { get; private set; } = [];

    public string? LogoUrl { get; private set; }

    public static BusinessProfile Create(Guid accountId, DateTime now) => new()
    {
        AccountId = accountId,
        UpdatedAt = now,
    };

    public void Replace(string? description, string? website, IEnumerable<string> industries, IEnumerable<string> products, IEnumerable<string> services, string? logoUrl, DateTime now)
    {
        Description = description;
        Website = website;
        Industries = [.. industries];
        Products = [.. products];
        Services = [.. services];
        LogoUrl = logoUrl;
        Touch(now);
    }
}
