namespace PartnerAccounts.Domain.Common;

/// <summary>Every length limit of the model, defined once and used by validators, EF configuration and the API contract.</summary>
public static class FieldLimits
{
    public const int CompanyName = 200;
    public const int PersonName = 100;
    public const int Email = 254;
    public const int Phone = 32;
    public const int AddressLine = 200;
    public const int City = 100;
    public const int State = 100;
    public const int PostalCode = 20;
    public const int CountryCode = 2;
    public const int Language = 35;
    public const int Url = 2048;
    public const int Description = 4000;
    public const int ListItem = 100;
    public const int ListItems = 50;
    public const int PurchaseOrderNumber = 50;
    public const int TaxId = 50;
    public const int AccountHolder = 200;
    public const int Iban = 34;
    public const int RoutingNumber = 9;
    public const int BankAccountNumber = 17;
    public const int SwiftBic = 11;
    public const int CertificateId = 100;
    public const int LocationName = 200;
    public const int VerificationReason = 1000;
    public const int EnrollmentReason = 1000;
    public const int MpnId = 10;
    public const int ApiKeyName = 100;
    public const int StatusReason = 1000;

    /// <summary>A Microsoft Learn transcript share link, and its parts.</summary>
    public const int LearnTranscriptUrl = 300;
    public const int LearnUserName = 100;
    public const int LearnTranscriptId = 64;
}
