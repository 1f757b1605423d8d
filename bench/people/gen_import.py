"""Writes a 1,000,000-row CSV in the shape of a Mobilize/Action Network export (UTF-8)."""
import sys

rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
schools = ["Garfield High", "Roosevelt High", "Lincoln Elementary", "Esteban Torres", "Hollenbeck MS"]
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    f.write("first_name,last_name,email,phone,zip_code,school,language,grade\n")
    for i in range(rows):
        f.write(f"Nombre{i},Apellido{i % 9973},parent{i}@example.org,(213) {200 + i % 700:03d}-{i % 10000:04d},"
                f"{90001 + i % 100},{schools[i % 5]},{'es' if i % 3 == 0 else 'en'},{i % 12 + 1}\n")
