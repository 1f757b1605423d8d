package org.convoca.petition;

/** Who the petition is delivered to: a name and, optionally, a title ("LAUSD Board of Education"). */
public record Target(String name, String title) {
    /** "Name, Title" or just the name. */
    public String label() {
        return title == null || title.isBlank() ? name : name + ", " + title;
    }
}
