# Pulled into the setup guide with include_relative; the leading underscore keeps it out of the output.
puts "included relative to the page"
