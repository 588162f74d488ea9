using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

/// <summary>How the shared value objects are stored, defined once for every entity that holds them.</summary>
internal static class ValueObjectMappings
{
    public static void Configure(ComplexPropertyBuilder<Address> address)
    {
        address.Property(a => a.AddressLine1).HasMaxLength(FieldLimits.AddressLine).IsRequired();
        address.Property(a => a.AddressLine2).HasMaxLength(FieldLimits.AddressLine);
        address.Property(a => a.City).HasMaxLength(FieldLimits.City).IsRequired();
        address.Property(a => a.State).HasMaxLength(FieldLimits.State);
        address.Property(a => a.PostalCode).HasMaxLength(FieldLimits.PostalCode).IsRequired();
        address.Property(a => a.Country).HasMaxLength(FieldLimits.CountryCode).IsRequired();
    }

    public static void Configure(ComplexPropertyBuilder<Contact> contact)
    {
        contact.Property(c => c.FirstName).HasMaxLength(FieldLimits.PersonName).IsRequired();
        contact.Property(c => c.LastName).HasMaxLength(FieldLimits.PersonName).IsRequired();
        contact.Property(c => c.Email).HasMaxLength(FieldLimits.Email).IsRequired();
        contact.Property(c => c.PhoneNumber).HasMaxLength(FieldLimits.Phone);
    }

    /// <summary>Profiles are keyed by their account and versioned for ETags.</summary>
    public static void ConfigureProfile<T>(this EntityTypeBuilder<T> builder, string table)
        where T : AccountProfile
    {
        builder.ToTable(table);
        builder.HasKey(p => p.AccountId);
        builder.HasOne<Account>().WithOne().HasForeignKey<T>(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.Version).IsConcurrencyToken();
    }
}
