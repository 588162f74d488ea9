using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class LocationConfiguration : IEntityTypeConfiguration<Location>
{
    public void Configure(EntityTypeBuilder<Location> builder)
    {
        builder.ToTable("Locations");
        builder.HasKey(l => l.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(l => l.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.AccountId, l.CreatedAt });
        builder.Property(l => l.Name).HasMaxLength(FieldLimits.LocationName).IsRequired();
        builder.Property(l => l.MpnId).HasMaxLength(FieldLimits.MpnId).IsRequired();
        builder.HasIndex(l => l.MpnId).IsUnique();
        builder.ComplexProperty(l => l.Address, ValueObjectMappings.Configure);
        builder.Property(l => l.Version).IsConcurrencyToken();
    }
}

public sealed class TaxExemptionConfiguration : IEntityTypeConfiguration<TaxExemption>
{
    public void Configure(EntityTypeBuilder<TaxExemption> builder)
    {
        builder.ToTable("TaxExemptions");
        builder.HasKey(t => t.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.AccountId, t.CreatedAt });
        builder.HasIndex(t => new { t.AccountId, t.Country, t.CertificateId }).IsUnique();
        builder.Property(t => t.Country).HasMaxLength(FieldLimits.CountryCode).IsRequired();
        builder.Property(t => t.CertificateId).HasMaxLength(FieldLimits.CertificateId).IsRequired();
    }
}

public sealed class MpnRegistrationConfiguration : IEntityTypeConfiguration<MpnRegistration>
{
    public void Configure(EntityTypeBuilder<MpnRegistration> builder)
    {
        builder.ToTable("MpnRegistrations");
        builder.HasKey(m => m.MpnId);
        builder.Property(m => m.MpnId).HasMaxLength(FieldLimits.MpnId);
        builder.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);
        // No foreign key to Locations: the row is kept when its location is deleted, so the ID stays taken for good.
        builder.HasIndex(m => m.LocationId);
    }
}
