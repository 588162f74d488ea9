using System.Text.RegularExpressions;

namespace PartnerAccounts.Domain.Common;

/// <summary>MPN IDs: numeric strings of 1 to 10 digits; the service issues 7-digit ones.</summary>
public static class MpnIdentifier
{
    public const int MinIssued = 1_000_000;
    public const int MaxIssued = 9_999_999;

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > FieldLimits.MpnId)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}

public static partial class EmailAddress
{
    public static bool IsValid(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= FieldLimits.Email && Pattern().IsMatch(value);

    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    [GeneratedRegex(@"^[^@\s\p{C}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

public static partial class PhoneNumber
{
    /// <summary>International or national notation: digits with optional leading +, spaces, dots, dashes and parentheses; 5 to 15 digits.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > FieldLimits.Phone || !Pattern().IsMatch(value))
        {
            return false;
        }

        var digits = value.Count(char.IsAsciiDigit);
        return digits is >= 5 and <= 15;
    }

    [GeneratedRegex(@"^\+?[0-9(][0-9 ().\-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

public static class WebUrl
{
    public static bool IsValid(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= FieldLimits.Url &&
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && !string.IsNullOrEmpty(uri.Host);
}

public static class CountryCode
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "AD","AE","AF","AG","AI","AL","AM","AO","AQ","AR","AS","AT","AU","AW","AX","AZ","BA","BB","BD","BE","BF","BG","BH","BI","BJ","BL","BM","BN","BO","BQ","BR","BS","BT","BV","BW","BY","BZ",
        "CA","CC","CD","CF","CG","CH","CI","CK","CL","CM","CN","CO","CR","CU","CV","CW","CX","CY","CZ","DE","DJ","DK","DM","DO","DZ","EC","EE","EG","EH","ER","ES","ET","FI","FJ","FK","FM","FO","FR",
        "GA","GB","GD","GE","GF","GG","GH","GI","GL","GM","GN","GP","GQ","GR","GS","GT","GU","GW","GY","HK","HM","HN","HR","HT","HU","ID","IE","IL","IM","IN","IO","IQ","IR","IS","IT","JE","JM","JO","JP",
        "KE","KG","KH","KI","KM","KN","KP","KR","KW","KY","KZ","LA","LB","LC","LI","LK","LR","LS","LT","LU","LV","LY","MA","MC","MD","ME","MF","MG","MH","MK","ML","MM","MN","MO","MP","MQ","MR","MS","MT","MU","MV","MW","MX","MY","MZ",
        "NA","NC","NE","NF","NG","NI","NL","NO","NP","NR","NU","NZ","OM","PA","PE","PF","PG","PH","PK","PL","PM","PN","PR","PS","PT","PW","PY","QA","RE","RO","RS","RU","RW",
        "SA","SB","SC","SD","SE","SG","SH","SI","SJ","SK","SL","SM","SN","SO","SR","SS","ST","SV","SX","SY","SZ","TC","TD","TF","TG","TH","TJ","TK","TL","TM","TN","TO","TR","TT","TV","TW","TZ",
        "UA","UG","UM","US","UY","UZ","VA","VC","VE","VG","VI","VN","VU","WF","WS","YE","YT","ZA","ZM","ZW",
    };

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public static bool IsValid(string? value) => value is { Length: 2 } && Codes.Contains(value);
}

/// <summary>International Bank Account Number: country code, check digits, BBAN; validated with the ISO 7064 mod 97-10 checksum.</summary>
public static class Iban
{
    public static string Normalize(string value) => new(value.Where(c => c != ' ').Select(char.ToUpperInvariant).ToArray());

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > FieldLimits.Iban + 8)
        {
            return false;
        }

        var iban = Normalize(value);
        if (iban.Length is < 15 or > FieldLimits.Iban || !CountryCode.IsValid(iban[..2]) ||
            !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]) || !iban.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        var rearranged = iban[4..] + iban[..4];
        var remainder = 0;
        foreach (var c in rearranged)
        {
            var digits = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = digits >= 10 ? ((remainder * 100) + digits) % 97 : ((remainder * 10) + digits) % 97;
        }

        return remainder == 1;
    }
}

public static partial class SwiftBic
{
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex(@"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>US ABA routing number (9 digits with the 3-7-1 checksum) and the account number that goes with it.</summary>
public static class UsBankAccount
{
    public static bool IsValidRoutingNumber(string? value)
    {
        if (value is not { Length: 9 } || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        int[] weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (value[i] - '0') * weights[i];
        }

        return sum % 10 == 0;
    }

    public static bool IsValidAccountNumber(string? value) =>
        value is { Length: >= 4 and <= FieldLimits.BankAccountNumber } && value.All(char.IsAsciiDigit);
}
