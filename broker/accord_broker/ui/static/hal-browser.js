// The broker's HAL browser: fetches a resource as an API client does (Accept: application/hal+json)
// and shows its properties, _links and _embedded resources. A file, not an inline script, so the
// page's Content-Security-Policy can forbid inline scripts. Every value is set with textContent
// (never innerHTML): resources hold user-supplied names.
//
// The resource shown is kept in the fragment: "#/pacticipants" is that path under the broker's
// public base URL (data-base, which includes any path prefix), so links keep working behind a
// proxy and the back button walks back through the resources.
(function () {
  "use strict";

  var ACCEPT = "application/hal+json, application/json;q=0.9, */*;q=0.1";
  var root = document.getElementById("hal-browser");
  var base = root.getAttribute("data-base").replace(/\/+$/, "");
  var view = document.getElementById("hal-resource");
  var statusLine = document.getElementById("hal-status");
  var locationInput = document.getElementById("hal-location");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // "#/x" for a URL under the base; the full URL for another URL of this origin.
  function fragmentFor(href) {
    if (href.indexOf(base + "/") === 0 || href === base) {
      return "#" + (href.slice(base.length) || "/");
    }
    return "#" + href;
  }

  // The URL a fragment names, or null when it is not a URL of this broker's origin.
  function urlFor(fragment) {
    var target = fragment || "/";
    if (target.charAt(0) === "/") return base + target;
    try {
      return new URL(target).origin === window.location.origin ? target : null;
    } catch (error) {
      return null;
    }
  }

  // RFC 6570 level 1 and the query forms the broker uses: {name}, {?a,b}, {&a,b}.
  function variablesOf(template) {
    var names = [];
    template.replace(/\{([?&]?)([^}]+)\}/g, function (_match, _operator, list) {
      list.split(",").forEach(function (name) {
        if (names.indexOf(name) < 0) names.push(name);
      });
      return "";
    });
    return names;
  }

  function expand(template, values) {
    return template.replace(/\{([?&]?)([^}]+)\}/g, function (_match, operator, list) {
      var names = list.split(",");
      if (!operator) {
        return names.map(function (name) { return encodeURIComponent(values[name] || ""); }).join(",");
      }
      var pairs = names
        .filter(function (name) { return values[name]; })
        .map(function (name) { return encodeURIComponent(name) + "=" + encodeURIComponent(values[name]); });
      return pairs.length ? operator + pairs.join("&") : "";
    });
  }

  function templatedForm(link) {
    var form = element("form", "hal-template");
    form.setAttribute("data-template", link.href);
    variablesOf(link.href).forEach(function (name) {
      var label = element("label", null, name + " ");
      var input = element("input");
      input.name = name;
      input.type = "text";
      input.setAttribute("data-variable", name);
      label.appendChild(input);
      form.appendChild(label);
      form.appendChild(document.createTextNode(" "));
    });
    var button = element("button", null, "Follow");
    button.type = "submit";
    form.appendChild(button);
    form.appendChild(element("code", "muted", " " + link.href));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var values = {};
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (input) {
        values[input.name] = input.value;
      });
      window.location.hash = fragmentFor(expand(link.href, values));
    });
    return form;
  }

  function linkCell(link) {
    var cell = element("td", "href");
    if (typeof link.href !== "string") {
      cell.textContent = JSON.stringify(link);
    } else if (link.templated || /\{[^}]+\}/.test(link.href)) {
      // also a link that has variables but does not say it is templated (the Pact Broker's
      // pb:tagged-pact-versions): following it as it is could only answer 404
      cell.appendChild(templatedForm(link));
    } else {
      var anchor = element("a", "hal-link", link.href);
      anchor.href = fragmentFor(link.href);
      cell.appendChild(anchor);
    }
    return cell;
  }

  function linksTable(links) {
    var table = element("table", "compact hal-links");
    var head = element("thead");
    var headRow = element("tr");
    ["Relation", "Title", "Link"].forEach(function (name) { headRow.appendChild(element("th", null, name)); });
    head.appendChild(headRow);
    table.appendChild(head);
    var body = element("tbody");
    Object.keys(links).forEach(function (rel) {
      var value = links[rel];
      (Array.isArray(value) ? value : [value]).forEach(function (link) {
        var row = element("tr", "hal-link-row");
        row.setAttribute("data-rel", rel);
        row.appendChild(element("td", "rel", rel));
        row.appendChild(element("td", "title", (link && (link.title || link.name)) || ""));
        row.appendChild(link && typeof link === "object" ? linkCell(link) : element("td", null, JSON.stringify(link)));
        body.appendChild(row);
      });
    });
    table.appendChild(body);
    return table;
  }

  function isResourceList(value) {
    return Array.isArray(value) && value.length > 0 && value.every(function (item) {
      return item !== null && typeof item === "object" && typeof item._links === "object";
    });
  }

  function propertiesTable(resource) {
    var table = element("table", "compact values hal-properties");
    var body = element("tbody");
    Object.keys(resource).forEach(function (key) {
      if (key === "_links" || key === "_embedded") return;
      var row = element("tr");
      row.setAttribute("data-property", key);
      row.appendChild(element("th", null, key));
      var cell = element("td");
      var value = resource[key];
      if (isResourceList(value)) {
        // e.g. /pacts/latest lists its pacts as a property: each is a resource to click through
        value.forEach(function (item) { cell.appendChild(renderResource(item, 1)); });
      } else {
        cell.appendChild(element("code", null, typeof value === "string" ? value : JSON.stringify(value, null, 2)));
      }
      row.appendChild(cell);
      body.appendChild(row);
    });
    table.appendChild(body);
    return body.childNodes.length ? table : null;
  }

  function renderResource(resource, depth) {
    var section = element("section", "hal-resource");
    if (resource === null || typeof resource !== "object" || Array.isArray(resource)) {
      section.appendChild(element("pre", null, JSON.stringify(resource, null, 2)));
      return section;
    }
    var properties = propertiesTable(resource);
    if (properties) {
      section.appendChild(element("h" + Math.min(depth + 2, 6), null, "Properties"));
      section.appendChild(properties);
    }
    if (resource._links && typeof resource._links === "object") {
      section.appendChild(element("h" + Math.min(depth + 2, 6), null, "Links"));
      section.appendChild(linksTable(resource._links));
    }
    if (resource._embedded && typeof resource._embedded === "object") {
      section.appendChild(element("h" + Math.min(depth + 2, 6), null, "Embedded"));
      Object.keys(resource._embedded).forEach(function (rel) {
        var group = element("div", "hal-embedded");
        group.setAttribute("data-rel", rel);
        group.appendChild(element("h" + Math.min(depth + 3, 6), "rel", rel));
        var value = resource._embedded[rel];
        (Array.isArray(value) ? value : [value]).forEach(function (item) {
          group.appendChild(renderResource(item, depth + 1));
        });
        section.appendChild(group);
      });
    }
    return section;
  }

  function show(url, response, text) {
    view.replaceChildren();
    statusLine.textContent = "GET " + url + " → " + response.status + " " + response.statusText;
    statusLine.setAttribute("data-status", String(response.status));
    var type = response.headers.get("Content-Type") || "";
    var parsed = null;
    if (/json/i.test(type)) {
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        parsed = null;
      }
    }
    if (parsed === null) {
      view.appendChild(element("pre", "hal-text", text));
      return;
    }
    view.appendChild(renderResource(parsed, 0));
    var raw = element("details", "hal-raw");
    raw.appendChild(element("summary", null, "Raw JSON"));
    raw.appendChild(element("pre", null, JSON.stringify(parsed, null, 2)));
    view.appendChild(raw);
  }

  function load() {
    var url = urlFor(window.location.hash.slice(1));
    if (url === null) {
      view.replaceChildren();
      statusLine.textContent = "Only this broker's resources can be browsed (" + base + "/…).";
      statusLine.setAttribute("data-status", "refused");
      return;
    }
    locationInput.value = url;
    statusLine.textContent = "GET " + url + " …";
    statusLine.removeAttribute("data-status");
    fetch(url, { headers: { Accept: ACCEPT }, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) { show(url, response, text); });
      })
      .catch(function (error) {
        view.replaceChildren();
        statusLine.textContent = "GET " + url + " failed: " + error;
        statusLine.setAttribute("data-status", "error");
      });
  }

  document.getElementById("hal-go").addEventListener("submit", function (event) {
    event.preventDefault();
    var target = fragmentFor(locationInput.value.trim());
    if (window.location.hash === target) load();
    else window.location.hash = target;
  });
  window.addEventListener("hashchange", load);
  load();
})();
