using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PartnerAccounts.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// Nothing on PostgreSQL: the MPN directory's version (<see cref="MpnVerification.MpnDirectoryVersion"/>) is SQLite's. On
    /// PostgreSQL one row that every change to the directory updates would be a lock that writers of several nodes queue on
    /// (and could deadlock on), so each pass reads the directory (ADR 0005, third amendment). Kept so both providers have the
    /// same migrations in the same order.
    /// </summary>
    public partial class MpnDirectoryVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
