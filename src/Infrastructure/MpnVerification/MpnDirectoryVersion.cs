namespace PartnerAccounts.Infrastructure.MpnVerification;

/// <summary>
/// SQLite: a one-row table whose <c>Version</c> is set to a new random number, by triggers, in the same transaction as every
/// change to what verifying an MPN ID answers (an account added, removed or its status changed; a legal name; a registration;
/// a location added or removed), whoever makes it: the service, an operator's <c>sqlite3</c>, a script. So the directory can
/// tell, with one point read, that a copy it holds is still the directory's state however much else was written since (API
/// key uses, audit records, profiles other than the legal one), and renew it instead of reading a million rows again. A
/// random value, not a counter: a database restored from a backup holds the version of its own state, which differs from the
/// copy's unless it is that very state (ADR 0005, third amendment).
/// </summary>
public static class MpnDirectoryVersion
{
    public const string Table = "MpnDirectoryVersion";

    internal const string Select = """SELECT "Version" FROM "MpnDirectoryVersion" WHERE "Id" = 1""";

    private const string Bump = """UPDATE "MpnDirectoryVersion" SET "Version" = random() WHERE "Id" = 1;""";

    /// <summary>What the triggers watch: each table, the name its triggers take, and the columns whose update changes an answer.</summary>
    private static readonly (string Table, string Name, string UpdateOf)[] Watched =
    [
        ("Accounts", "Accounts", "OF \"Status\""),
        ("LegalBusinessProfiles", "LegalNames", "OF \"AccountId\", \"CompanyName\""),
        ("MpnRegistrations", "Registrations", ""),
        ("Locations", "Locations", "OF \"Id\""),
    ];

    /// <summary>The statements that create the table, its row and the triggers (the SQLite migration runs them, one by one).</summary>
    public static IEnumerable<string> CreateStatements()
    {
        yield return """CREATE TABLE "MpnDirectoryVersion" ("Id" INTEGER NOT NULL PRIMARY KEY, "Version" INTEGER NOT NULL)""";
        yield return """INSERT INTO "MpnDirectoryVersion" ("Id", "Version") VALUES (1, random())""";
        foreach (var (trigger, table, when) in Triggers())
        {
            yield return $"""CREATE TRIGGER "{trigger}" AFTER {when} ON "{table}" BEGIN {Bump} END""";
        }
    }

    /// <summary>The statements that drop them again.</summary>
    public static IEnumerable<string> DropStatements()
    {
        foreach (var (trigger, _, _) in Triggers())
        {
            yield return $"""DROP TRIGGER IF EXISTS "{trigger}" """;
        }

        yield return """DROP TABLE IF EXISTS "MpnDirectoryVersion" """;
    }

    /// <summary>Each trigger: its name, its table, and the change it fires after (a row added, removed, or a watched column updated).</summary>
    private static IEnumerable<(string Trigger, string Table, string When)> Triggers() =>
        from watched in Watched
        from change in new[] { ("Added", "INSERT"), ("Removed", "DELETE"), ("Changed", $"UPDATE {watched.UpdateOf}".TrimEnd()) }
        select ($"MpnDirectory_{watched.Name}{change.Item1}", watched.Table, change.Item2);
}
