using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Infrastructure.DataProtection;

/// <summary>
/// The Data Protection key ring (which protects bank numbers, idempotent responses, continuation tokens) is persisted in the
/// database but never unencrypted there: each key's XML is encrypted before it is stored, with a certificate
/// (<c>DataProtection:Certificate:Path</c>, <c>:Password</c>) or a key file (<c>DataProtection:KeyFile</c>, a base64 256-bit
/// key) that lives outside the database. In Production one of them must be configured and present, or start-up fails; elsewhere
/// a key file is created on first start at <see cref="DefaultKeyFile"/> (apart from the SQLite file under <c>data/</c>).
/// Previous key files (<c>DataProtection:PreviousKeyFiles:0..n</c>) still decrypt the ring keys they encrypted, for rotation.
/// </summary>
public static class KeyRingProtection
{
    public const string DefaultKeyFile = "keys/dataprotection.key";

    public const string Unprotected =
        "In Production the Data Protection key ring must be protected at rest: set DataProtection:KeyFile to a file holding a base64 " +
        "256-bit key (for example `openssl rand -base64 32 > /run/secrets/partneraccounts-dp.key`) or DataProtection:Certificate:Path " +
        "(and :Password) to a PFX certificate, kept outside the database. See README \"Security\".";

    public static IServiceCollection AddProtectedKeyRing(this IServiceCollection services, IConfiguration configuration, bool isProduction)
    {
        var builder = services.AddDataProtection().SetApplicationName("PartnerAccounts").PersistKeysToDbContext<AppDbContext>();
        var certificatePath = configuration["DataProtection:Certificate:Path"];
        var keyFile = configuration["DataProtection:KeyFile"];
        var previous = configuration.GetSection("DataProtection:PreviousKeyFiles").Get<string[]>() ?? [];

        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            if (!File.Exists(certificatePath))
            {
                throw new InvalidOperationException($"DataProtection:Certificate:Path '{certificatePath}' does not exist. " + Unprotected);
            }

            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, configuration["DataProtection:Certificate:Password"], X509KeyStorageFlags.EphemeralKeySet);
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
            return services;
        }

        if (string.IsNullOrWhiteSpace(keyFile))
        {
            if (isProduction)
            {
                throw new InvalidOperationException(Unprotected);
            }

            keyFile = DefaultKeyFile;
        }

        // A relative key file lives where a relative SQLite file does: under the host's content root (the service's folder).
        var root = configuration["contentRoot"] ?? Directory.GetCurrentDirectory();
        var keys = new KeyFileKeys(
            KeyFileKeys.Load(Path.GetFullPath(keyFile, root), createIfMissing: !isProduction),
            [.. previous.Select(p => KeyFileKeys.Load(Path.GetFullPath(p, root), createIfMissing: false))]);
        services.AddSingleton(keys);
        services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.XmlEncryptor = new KeyFileXmlEncryptor(keys));
        return services;
    }
}

/// <summary>The key file's key (which encrypts new ring keys) and the previous ones (which still decrypt the ring keys they encrypted).</summary>
public sealed class KeyFileKeys(byte[] current, IReadOnlyList<byte[]> previous)
{
    public const int KeyBytes = 32;

    public byte[] Current { get; } = current;

    public string CurrentId => IdOf(Current);

    public byte[]? Find(string id) => IdOf(Current) == id ? Current : previous.FirstOrDefault(k => IdOf(k) == id);

    /// <summary>A public name of a key (first bytes of its SHA-256), so the ring says which key file it needs.</summary>
    public static string IdOf(byte[] key) => Convert.ToHexString(SHA256.HashData(key), 0, 8);

    public static byte[] Load(string path, bool createIfMissing)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            if (!createIfMissing)
            {
                throw new InvalidOperationException($"The Data Protection key file '{full}' does not exist. " + KeyRingProtection.Unprotected);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var created = RandomNumberGenerator.GetBytes(KeyBytes);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(full, options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(created));
            }
            catch (IOException) when (File.Exists(full))
            {
                // Another process (a second node, a parallel test host) created it first: use theirs.
            }
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(full).Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The Data Protection key file '{full}' must hold a base64 {KeyBytes * 8}-bit key.");
        }

        return key.Length == KeyBytes ? key : throw new InvalidOperationException($"The Data Protection key file '{full}' must hold a base64 {KeyBytes * 8}-bit key.");
    }
}

/// <summary>Encrypts a ring key's XML with AES-256-GCM under the key file's key.</summary>
public sealed class KeyFileXmlEncryptor(KeyFileKeys keys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(keys.Current, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(
            "encryptedKey",
            new XComment(" This key is encrypted with the Data Protection key file (DataProtection:KeyFile). "),
            new XAttribute("keyFileId", keys.CurrentId),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(KeyFileXmlDecryptor));
    }
}

/// <summary>Decrypts what <see cref="KeyFileXmlEncryptor"/> encrypted; Data Protection activates it with the application's services.</summary>
public sealed class KeyFileXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var keys = services.GetService<KeyFileKeys>()
            ?? throw new CryptographicException("The key ring is encrypted with a Data Protection key file, but DataProtection:KeyFile is not configured.");
        var id = (string?)encryptedElement.Attribute("keyFileId") ?? string.Empty;
        var key = keys.Find(id)
            ?? throw new CryptographicException($"The key ring entry was encrypted with key file {id}, which is neither DataProtection:KeyFile nor one of DataProtection:PreviousKeyFiles.");
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }

        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
    }
}
